package org.dicomweb.gateway.core.qido;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.qido.QidoQuery.MatchKey;
import org.dicomweb.gateway.error.InvalidRequestException;

/**
 * Whether a data set (one study's, series' or instance's attributes, with those of the levels above it) matches a
 * {@link QidoQuery}, by PS3.4 C.2.2.2, for backends that match themselves. Every key must match (the UIDs of the
 * request path are keys too):
 * <ul>
 * <li>Universal Matching (C.2.2.2.3): an empty key, and {@code *} where wildcards apply (C.2.2.2.4), match anything,
 * even an absent attribute. Any other key fails on an attribute that is absent or empty in the data set: an unknown
 * value matches no key (as C.2.2.2 states it for required keys, K.2.2.1.1.1); Empty Value Matching (C.2.2.2.7,
 * {@code emptyvaluematching}) is not offered.</li>
 * <li>A key of several values (a UID list, C.2.2.2.2, or values separated by backslashes) matches if any of them
 * does; a multi-valued attribute (Modalities in Study) matches if any of its values does.</li>
 * <li>Single Value Matching (C.2.2.2.1): the same string, case-sensitive, leading and trailing spaces not
 * significant (trailing only for ST, LT, UT, UC); numbers (IS, DS, binary VRs) compare by value.</li>
 * <li>Wild Card Matching (C.2.2.2.4): {@code *} and {@code ?} for AE, CS, LO, LT, PN, SH, ST, UC, UR, UT; elsewhere
 * they are literal characters, and {@link #warnings()} says so.</li>
 * <li>Range Matching (C.2.2.2.5) for DA, TM, DT: {@link TemporalMatching}.</li>
 * <li>Sequence Matching (C.2.2.2.6): the keys inside a sequence must all match within one of its items.</li>
 * <li>Person names (PN): C.2.2.2.1 lets PN matching ignore case, and the gateway always does (as Orthanc does by
 * default): {@code doe^john} finds {@code DOE^JOHN}. Trailing empty components do not count ({@code DOE^JOHN^^}
 * is {@code DOE^JOHN}). A key with component groups ({@code =}) matches group by group, its empty groups matching
 * anything; a key of one group may match any group of the name. With {@code fuzzymatching=true} (PS3.18 §8.3.4,
 * implementation defined) accents are ignored too, and each component of the key need only begin the
 * corresponding component of the name: {@code DOE^J} finds {@code Doe^John}, {@code MULLER} finds
 * {@code Müller^Jürgen}. Fuzzy matching concerns PN keys only.</li>
 * </ul>
 * Keys the gateway cannot match (binary VRs, AT) are refused with a 400 when the matcher is made.
 */
public final class QidoMatcher {

    /** C.2.2.2.4: the VRs whose keys may hold wildcards. */
    private static final Set<String> WILDCARD_VRS = Set.of("AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UR", "UT");
    private static final Set<String> NUMBER_VRS = Set.of("IS", "DS", "US", "UL", "SS", "SL", "FL", "FD", "SV", "UV",
            "XS"); // XS: PixelMed's "US or SS"
    /** PS3.5 §6.2: leading spaces are significant in these. */
    private static final Set<String> TEXT_VRS = Set.of("ST", "LT", "UT", "UC");
    private static final Set<String> UNMATCHABLE_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "OX", "UN",
            "AT", "NO"); // OX: PixelMed's "OB or OW"; NO: items and delimiters
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

    /** The keys that can fail a data set: those not universal. */
    private final List<MatchKey> keys = new ArrayList<>();
    private final boolean fuzzyMatching;
    private final List<String> warnings = new ArrayList<>();

    /** @throws InvalidRequestException for a key the gateway cannot match */
    public QidoMatcher(QidoQuery query) {
        this.fuzzyMatching = query.fuzzyMatching();
        if (query.studyUid() != null) {
            keys.add(new MatchKey("path", List.of(TagFromName.StudyInstanceUID), "UI", query.studyUid()));
        }
        if (query.seriesUid() != null) {
            keys.add(new MatchKey("path", List.of(TagFromName.SeriesInstanceUID), "UI", query.seriesUid()));
        }
        for (MatchKey key : query.keys()) {
            if (key.universal() || WILDCARD_VRS.contains(key.vr()) && key.value().equals("*")) {
                continue;
            }
            if (UNMATCHABLE_VRS.contains(key.vr())) {
                throw new InvalidRequestException("parameter '" + key.parameter() + "': the gateway cannot match"
                        + " attributes of VR " + key.vr() + "; leave its value empty to have it returned");
            }
            if (!WILDCARD_VRS.contains(key.vr()) && (key.value().contains("*") || key.value().contains("?"))) {
                warnings.add("parameter '" + key.parameter() + "': * and ? are wildcards only for AE, CS, LO, LT, PN,"
                        + " SH, ST, UC, UR and UT (PS3.4 C.2.2.2.4); for " + key.vr() + " they were matched literally");
            }
            if (key.tag().equals(TagFromName.TimezoneOffsetFromUTC)) {
                warnings.add("parameter '" + key.parameter() + "' was matched as a value; dates and times are"
                        + " compared as given, not shifted to that offset");
            }
            keys.add(key);
        }
    }

    /** Texts for HTTP Warning headers: where the match was not what the client may have asked for. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public boolean matches(AttributeList attributes) {
        return matches(attributes, keys, 0);
    }

    /** {@code keys} all have paths longer than {@code depth}: their tags from {@code depth} on are within the list. */
    private boolean matches(AttributeList attributes, List<MatchKey> keys, int depth) {
        Map<AttributeTag, List<MatchKey>> sequences = new LinkedHashMap<>();
        for (MatchKey key : keys) {
            AttributeTag tag = key.path().get(depth);
            if (key.path().size() > depth + 1) {
                sequences.computeIfAbsent(tag, t -> new ArrayList<>()).add(key);
            } else if (!matches(attributes.get(tag), key)) {
                return false;
            }
        }
        for (Map.Entry<AttributeTag, List<MatchKey>> sequence : sequences.entrySet()) {
            if (!anyItemMatches(attributes.get(sequence.getKey()), sequence.getValue(), depth + 1)) {
                return false;
            }
        }
        return true;
    }

    /** C.2.2.2.6: all item keys match within one item. */
    private boolean anyItemMatches(Attribute attribute, List<MatchKey> itemKeys, int depth) {
        if (attribute instanceof SequenceAttribute sequence) {
            for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                if (matches(sequence.getItem(i).getAttributeList(), itemKeys, depth)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matches(Attribute attribute, MatchKey key) {
        List<String> values = values(attribute, key.vr());
        for (String keyValue : key.values()) {
            for (String value : values) {
                if (matches(key.vr(), unpadded(key.vr(), keyValue), value)) {
                    return true;
                }
            }
        }
        return false; // also when the attribute is absent or empty
    }

    private boolean matches(String vr, String key, String value) {
        if (vr.equals("DA") || vr.equals("TM") || vr.equals("DT")) {
            return TemporalMatching.matches(vr, key, value);
        }
        if (vr.equals("PN")) {
            return personName(key, value);
        }
        if (NUMBER_VRS.contains(vr)) {
            return sameNumber(key, value);
        }
        return WILDCARD_VRS.contains(vr) ? wildcard(key, 0).matcher(value).matches() : key.equals(value);
    }

    private boolean personName(String key, String value) {
        String[] keyGroups = key.split("=", -1);
        String[] groups = value.split("=", -1);
        if (keyGroups.length == 1) {
            for (String group : groups) {
                if (nameGroup(keyGroups[0], group)) {
                    return true;
                }
            }
            return false;
        }
        for (int i = 0; i < keyGroups.length; i++) {
            if (!keyGroups[i].isEmpty() && (i >= groups.length || !nameGroup(keyGroups[i], groups[i]))) {
                return false;
            }
        }
        return true;
    }

    /** One component group (alphabetic, ideographic or phonetic) of a name, PS3.5 §6.2.1. */
    private boolean nameGroup(String key, String group) {
        key = withoutEmptyTrailingComponents(key);
        group = withoutEmptyTrailingComponents(group);
        if (!fuzzyMatching) {
            return wildcard(key, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(group).matches();
        }
        String[] keyComponents = withoutAccents(key).split("\\^", -1);
        String[] components = withoutAccents(group).split("\\^", -1);
        for (int i = 0; i < keyComponents.length; i++) {
            String component = i < components.length ? components[i] : "";
            if (!wildcard(keyComponents[i] + "*", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                    .matcher(component).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String withoutEmptyTrailingComponents(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '^' || name.charAt(end - 1) == ' ')) {
            end--;
        }
        return name.substring(0, end);
    }

    private static String withoutAccents(String text) {
        return COMBINING_MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
    }

    /** {@code *}: any run of characters, {@code ?}: any one character; everything else literal. */
    private static Pattern wildcard(String key, int flags) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        return Pattern.compile(regex.append(Pattern.quote(literal.toString())).toString(), flags | Pattern.DOTALL);
    }

    private static boolean sameNumber(String key, String value) {
        try {
            return new BigDecimal(key).compareTo(new BigDecimal(value)) == 0;
        } catch (NumberFormatException e) {
            return key.equals(value); // a value that is no number matches only itself
        }
    }

    /** The attribute's values without padding, empty ones left out. */
    private static List<String> values(Attribute attribute, String vr) {
        List<String> values = new ArrayList<>();
        if (attribute != null) {
            try {
                String[] strings = attribute.getStringValues();
                for (String value : strings == null ? new String[0] : strings) {
                    String unpadded = unpadded(vr, value);
                    if (!unpadded.isEmpty()) {
                        values.add(unpadded);
                    }
                }
            } catch (DicomException e) {
                // a value PixelMed cannot decode as text matches nothing, like an empty one
            }
        }
        return values;
    }

    private static String unpadded(String vr, String value) {
        return TEXT_VRS.contains(vr) ? value.stripTrailing() : value.strip();
    }
}
