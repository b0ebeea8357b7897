package org.dicomweb.gateway.core.deid;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

/**
 * The private attributes an AE keeps (PS3.15 §E.3.10), each named {@code gggg,creator,ee}: its odd group, its private
 * creator and its element byte within the creator's block — not a fixed tag, since the block a creator gets differs
 * from one data set to the next. A private creator element is kept when any attribute of its block may be.
 */
final class SafePrivateTags {

    private final Set<String> elements = new HashSet<>();
    private final Set<String> creators = new HashSet<>();

    SafePrivateTags(Set<String> configured) {
        for (String entry : configured) {
            String[] parts = entry.split(",", -1);
            if (parts.length != 3 || !parts[0].trim().matches("(?i)[0-9a-f]{3}[13579bdf]")
                    || !parts[2].trim().matches("(?i)[0-9a-f]{2}")) {
                throw new IllegalArgumentException("safe private tag '" + entry
                        + "' is not gggg,creator,ee (an odd group, its private creator, an element byte in hex)");
            }
            String group = parts[0].trim().toLowerCase(Locale.ROOT);
            String creator = parts[1].trim();
            creators.add(group + "," + creator);
            elements.add(group + "," + creator + "," + parts[2].trim().toLowerCase(Locale.ROOT));
        }
    }

    boolean isEmpty() {
        return elements.isEmpty();
    }

    /** Whether a private attribute of {@code list} is kept. */
    boolean keeps(AttributeList list, AttributeTag tag) {
        if (elements.isEmpty()) {
            return false;
        }
        String group = String.format("%04x", tag.getGroup());
        if (tag.isPrivateCreator()) {
            String creator = com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
            return creators.contains(group + "," + creator);
        }
        int element = tag.getElement();
        if (element < 0x1000) {
            return false;
        }
        String creator = list.getPrivateCreatorString(tag);
        return creator != null && elements.contains(group + "," + creator.trim() + ","
                + String.format("%02x", element & 0xFF));
    }
}
