package org.dicomweb.gateway.backend.s3.index;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import org.dicomweb.gateway.core.json.ReturnKeys;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/**
 * The attributes the index keeps of each level, taken from an instance's data set: what QIDO-RS returns by default
 * and for {@code includefield=all} (ReturnKeys), without those the index computes (counts, Modalities in Study,
 * Instance Availability, RetrieveURL), plus Specific Character Set so that names decode. Stored as a small data set in
 * Explicit VR Little Endian, whatever the instance's encoding.
 */
public final class LevelAttributes {

    private static final Set<AttributeTag> COMPUTED = Set.of(TagFromName.ModalitiesInStudy,
            TagFromName.NumberOfStudyRelatedSeries, TagFromName.NumberOfStudyRelatedInstances,
            TagFromName.NumberOfSeriesRelatedInstances, ReturnKeys.INSTANCE_AVAILABILITY, ReturnKeys.RETRIEVE_URL);

    private LevelAttributes() {
    }

    /** Made once: every stored instance encodes three levels, every QIDO key is checked against them. */
    private static final Map<QueryLevel, Set<AttributeTag>> TAGS = new EnumMap<>(QueryLevel.class);

    static {
        for (QueryLevel level : QueryLevel.values()) {
            Set<AttributeTag> tags = new LinkedHashSet<>();
            tags.add(TagFromName.SpecificCharacterSet);
            for (List<AttributeTag> list : List.of(ReturnKeys.defaults(level), ReturnKeys.all(level))) {
                list.stream().filter(tag -> !COMPUTED.contains(tag)).forEach(tags::add);
            }
            if (level == QueryLevel.STUDY) { // patient level folded into the study: QIDO-RS has no patient resource
                tags.remove(TagFromName.SeriesInstanceUID);
            }
            TAGS.put(level, Collections.unmodifiableSet(tags));
        }
    }

    /** The tags the index holds at {@code level}. */
    public static Set<AttributeTag> tags(QueryLevel level) {
        return TAGS.get(level);
    }

    /** The level's attributes of {@code dataSet}, encoded. */
    static byte[] encode(AttributeList dataSet, QueryLevel level) {
        AttributeList subset = new AttributeList();
        for (AttributeTag tag : tags(level)) {
            Attribute attribute = dataSet.get(tag);
            if (attribute != null) {
                subset.put(attribute);
            }
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            DicomOutputStream out = new DicomOutputStream(bytes, null, TransferSyntax.ExplicitVRLittleEndian);
            subset.write(out);
            out.close();
            return bytes.toByteArray();
        } catch (IOException | DicomException e) {
            throw new IllegalArgumentException("cannot encode the " + level + " attributes: " + e.getMessage(), e);
        }
    }

    /** Adds the attributes of an encoded level to {@code into} (the first level's Specific Character Set stays). */
    public static void decodeInto(byte[] encoded, AttributeList into) {
        AttributeList list = new AttributeList();
        try {
            list.read(new DicomInputStream(new ByteArrayInputStream(encoded),
                    TransferSyntax.ExplicitVRLittleEndian, false));
        } catch (IOException | DicomException e) {
            throw new IllegalStateException("an index row's attributes cannot be read: " + e.getMessage(), e);
        }
        for (Attribute attribute : list.values()) {
            if (!(attribute.getTag().equals(TagFromName.SpecificCharacterSet)
                    && into.containsKey(TagFromName.SpecificCharacterSet))) {
                into.put(attribute);
            }
        }
    }
}
