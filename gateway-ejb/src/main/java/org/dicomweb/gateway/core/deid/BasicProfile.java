package org.dicomweb.gateway.core.deid;

import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedLongAttribute;

/**
 * The Basic Application Level Confidentiality Profile of PS3.15 Annex E with the options of one de-identifying AE,
 * driven by Table E.1-1 ({@link ProfileTable}); docs/deidentification.md describes every choice. UIDs and date
 * offsets come from keyed hashes of the installation's secret and the AE's name, the patient's pseudonym from a
 * {@link PatientPseudonyms}: the same input gives the same output everywhere, always. Immutable and thread-safe.
 */
public final class BasicProfile implements Deidentification {

    private final DeidentificationOptions options;
    private final Set<ProfileOption> chosen;
    private final ProfileTable table = ProfileTable.standard();
    private final KeyedHash hash;
    private final UidPseudonyms uids;
    private final PatientPseudonyms patients;
    private final SafePrivateTags safePrivate;
    private final MethodRecord method;

    private BasicProfile(String deidentifyingAe, DeidentificationOptions options, byte[] secret,
            PatientPseudonyms patients) {
        this.options = options;
        this.chosen = ProfileOption.chosen(options);
        this.hash = new KeyedHash(secret, deidentifyingAe);
        this.uids = new UidPseudonyms(hash);
        this.patients = patients;
        this.safePrivate = new SafePrivateTags(options.safePrivateTags());
        this.method = new MethodRecord(chosen, !safePrivate.isEmpty());
    }

    /**
     * @param deidentifyingAe the de-identifying AE: part of every keyed hash, so two AEs give unlinkable pseudonyms
     * @param secret the installation's secret, the same on every node (at least 32 bytes)
     * @param patients the patient pseudonyms, e.g. {@link KeyedHashPseudonyms} of the same secret and AE
     * @throws IllegalArgumentException naming what is wrong: a short secret, a malformed safe private tag
     */
    public static Deidentification of(String deidentifyingAe, DeidentificationOptions options, byte[] secret,
            PatientPseudonyms patients) {
        return new BasicProfile(deidentifyingAe, options, secret, patients);
    }

    @Override
    public void apply(AttributeList dataSet) throws BurnedInAnnotationRefused {
        if (!options.passBurnedInAnnotation()) {
            BurnedInAnnotation.check(dataSet);
        }
        String issuer = Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.IssuerOfPatientID);
        String patientId = Attribute.getSingleStringValueOrEmptyString(dataSet, TagFromName.PatientID);
        DateShift dates = chosen.contains(ProfileOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)
                ? DateShift.forPatient(hash, issuer, patientId) : null;
        // only options bring C to text (Retain UIDs has none): the basic profile need not collect identifiers
        DescriptorCleaner cleaner = chosen.stream().anyMatch(option -> option != ProfileOption.RETAIN_UIDS)
                ? DescriptorCleaner.of(dataSet, table, chosen) : DescriptorCleaner.NONE;
        try {
            new ProfileRun(table, chosen, uids::pseudonym, dates, cleaner, safePrivate).walk(dataSet);
            pseudonymise(dataSet, patients.pseudonym(issuer, patientId));
            method.write(dataSet);
            fileMetaGroupLength(dataSet);
        } catch (DicomException e) {
            throw new IllegalStateException("cannot de-identify: " + e.getMessage(), e);
        }
    }

    /** PatientID and PatientName where the data set has them (a search result may not). */
    private static void pseudonymise(AttributeList dataSet, PatientPseudonym pseudonym) throws DicomException {
        replace(dataSet, TagFromName.PatientID, pseudonym.patientId());
        replace(dataSet, TagFromName.PatientName, pseudonym.patientName());
    }

    private static void replace(AttributeList dataSet, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = dataSet.get(tag);
        if (attribute != null) {
            attribute.removeValues();
            attribute.addValue(value);
        }
    }

    /**
     * Group lengths are optional and now wrong, so they go — except the file meta information's, which Part 10
     * requires: recomputed (the Media Storage SOP Instance UID changed length).
     */
    private static void fileMetaGroupLength(AttributeList dataSet) throws DicomException {
        dataSet.removeGroupLengthAttributes();
        long length = 0;
        for (Attribute attribute : dataSet.values()) {
            if (attribute.getTag().getGroup() == 0x0002) {
                length += attribute.getLengthOfEntireEncodedAttribute(true, true);
            }
        }
        if (length > 0) {
            UnsignedLongAttribute groupLength = new UnsignedLongAttribute(TagFromName.FileMetaInformationGroupLength);
            groupLength.addValue(length);
            dataSet.put(groupLength);
        }
    }

    @Override
    public String uid(String originalUid) {
        return options.retainUids() ? originalUid : uids.pseudonym(originalUid);
    }

    @Override
    public boolean matchable(AttributeTag tag) {
        if (tag.isPrivate()) {
            return false;
        }
        ProfileRow row = table.row(tag);
        if (row == null) {
            return true;
        }
        Action action = row.action(chosen);
        return action == Action.KEEP || action == Action.UID;
    }
}
