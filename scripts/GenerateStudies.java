// Generates realistic CT-like DICOM Part 10 test files with PixelMed (single-file Java 17 program).
//
//   java -cp /usr/share/java/pixelmed.jar scripts/GenerateStudies.java \
//        <outDir> <studies> <seriesPerStudy> <instancesPerSeries> [seed|random] [charset]
//
//   charset: omitted -> ASCII names (DOE^JOHN, ...), no Specific Character Set;
//            "ISO_IR 100" (Latin-1) or "ISO_IR 192" (UTF-8) -> Specific Character Set set and non-ASCII
//            names (study 1 is always Müller^Jürgen; ISO_IR 192 adds names outside Latin-1).
//   seed:    drives patient IDs, dates, accession numbers and pixel noise (default: random, printed).
//            Names follow the study index (study 1 = first name of the list) whatever the seed.
//            UIDs are always new (2.25.<random UUID>), so every run yields new studies.
//
// Output: <outDir>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm, CT Image Storage,
// Explicit VR Little Endian, 512x512 MONOCHROME2 16/12/11 unsigned (~0.5 MB each).
// One study = one patient. Prints a one-line summary to stdout.
import com.pixelmed.dicom.*;

import java.io.*;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;

public class GenerateStudies {
    static final int ROWS = 512, COLS = 512;
    static final double PIXEL_SPACING = 500.0 / 512;           // 50 cm field of view

    static final String[] ASCII_NAMES = {
        "DOE^JOHN", "DOE^JANE", "SMITH^ANNA^MARIE", "BROWN^MICHAEL", "GARCIA^MARIA", "MILLER^PETER",
        "WILSON^EMMA", "TAYLOR^JAMES^R", "ANDERSON^LINDA", "NGUYEN^MAI", "OBRIEN^SEAN", "KOWALSKI^ADAM"};
    static final String[] LATIN1_NAMES = {
        "Müller^Jürgen", "Größe^Bärbel", "Sørensen^Åse", "Núñez^José", "Lefèvre^Hélène", "DOE^JOHN",
        "Åström^Björn", "Dubois^François", "O'Connor^Siobhán", "SMITH^ANNA"};
    static final String[] UTF8_EXTRA_NAMES = {"Dvořák^Antonín", "Łukasiewicz^Paweł", "Παπαδόπουλος^Νίκος"};
    static final String[] STUDY_DESCRIPTIONS = {
        "CT CHEST W/O CONTRAST", "CT ABDOMEN PELVIS W CONTRAST", "CT HEAD W/O CONTRAST", "CT THORAX LOW DOSE",
        "CT ANGIO CHEST", "CT LUMBAR SPINE"};
    static final String[] BODY_PARTS = {"CHEST", "ABDOMEN", "HEAD", "CHEST", "CHEST", "LSPINE"};
    static final String[] SERIES_DESCRIPTIONS = {
        "AXIAL 5.0 SOFT TISSUE", "AXIAL 1.25 LUNG", "AXIAL 2.5 BONE", "AXIAL 3.0 STANDARD"};
    static final double[] SLICE_THICKNESS = {5.0, 1.25, 2.5, 3.0};

    static final DicomDictionary DICT = AttributeList.getDictionary();

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 6) {
            System.err.println("usage: java -cp pixelmed.jar GenerateStudies.java <outDir> <studies> <seriesPerStudy>"
                + " <instancesPerSeries> [seed|random] [ISO_IR 100|ISO_IR 192]");
            System.exit(2);
        }
        Path out = Paths.get(args[0]);
        int studies = Integer.parseInt(args[1]), series = Integer.parseInt(args[2]), instances = Integer.parseInt(args[3]);
        long seed = args.length > 4 && !args[4].equals("random") ? Long.parseLong(args[4]) : new Random().nextLong();
        String charset = args.length > 5 ? args[5].trim() : "";
        String[] names;
        switch (charset) {
            case "" -> names = ASCII_NAMES;
            case "ISO_IR 100" -> names = LATIN1_NAMES;
            case "ISO_IR 192" -> {
                names = Arrays.copyOf(LATIN1_NAMES, LATIN1_NAMES.length + UTF8_EXTRA_NAMES.length);
                System.arraycopy(UTF8_EXTRA_NAMES, 0, names, LATIN1_NAMES.length, UTF8_EXTRA_NAMES.length);
            }
            default -> throw new IllegalArgumentException("charset must be 'ISO_IR 100' or 'ISO_IR 192': " + charset);
        }
        SpecificCharacterSet scs = charset.isEmpty() ? null : new SpecificCharacterSet(new String[]{charset});

        long t0 = System.nanoTime();
        Random rnd = new Random(seed);
        // Attribute lists are built on this thread (cheap); pixels + file writing run on a pool (the costly part).
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<?>> jobs = new ArrayList<>();
        AtomicLong bytes = new AtomicLong();
        for (int st = 0; st < studies; st++) {
            String studyUid = uid(), forUid = uid();
            String patientName = names[st % names.length];
            String patientId = String.format("PAT%07d", rnd.nextInt(10_000_000));
            String sex = (st % names.length) % 2 == 0 ? "M" : "F";
            String birthDate = String.format("%04d%02d%02d", 1930 + rnd.nextInt(80), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
            String studyDate = String.format("%04d%02d%02d", 2015 + rnd.nextInt(10), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
            String studyTime = String.format("%02d%02d%02d", 7 + rnd.nextInt(12), rnd.nextInt(60), rnd.nextInt(60));
            String accession = String.format("ACC%09d", rnd.nextInt(1_000_000_000));
            int kind = st % STUDY_DESCRIPTIONS.length;
            for (int se = 0; se < series; se++) {
                String seriesUid = uid();
                double thickness = SLICE_THICKNESS[se % SLICE_THICKNESS.length];
                String seriesTime = String.format("%s%02d", studyTime.substring(0, 4), Math.min(59, se));
                Path dir = out.resolve(studyUid).resolve(seriesUid);
                Files.createDirectories(dir);
                short[] base = phantom(kind, se);
                for (int in = 0; in < instances; in++) {
                    String sopUid = uid();
                    double z = 100.0 - in * thickness;
                    AttributeList l = new AttributeList();
                    if (scs != null) put(l, scs, TagFromName.SpecificCharacterSet, charset);
                    put(l, scs, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
                    put(l, scs, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
                    put(l, scs, TagFromName.SOPInstanceUID, sopUid);
                    put(l, scs, TagFromName.StudyDate, studyDate);
                    put(l, scs, TagFromName.SeriesDate, studyDate);
                    put(l, scs, TagFromName.ContentDate, studyDate);
                    put(l, scs, TagFromName.StudyTime, studyTime);
                    put(l, scs, TagFromName.SeriesTime, seriesTime);
                    put(l, scs, TagFromName.ContentTime, seriesTime);
                    put(l, scs, TagFromName.AccessionNumber, accession);
                    put(l, scs, TagFromName.Modality, "CT");
                    put(l, scs, TagFromName.Manufacturer, "DICOMWEB-GW-TEST");
                    put(l, scs, TagFromName.InstitutionName, scs != null ? "Universitätsklinikum Süd" : "GENERAL HOSPITAL");
                    put(l, scs, TagFromName.ReferringPhysicianName, scs != null ? "Schäfer^Anna^^Dr." : "HOUSE^GREGORY^^DR");
                    put(l, scs, TagFromName.StudyDescription, STUDY_DESCRIPTIONS[kind]);
                    put(l, scs, TagFromName.SeriesDescription, SERIES_DESCRIPTIONS[se % SERIES_DESCRIPTIONS.length]);
                    put(l, scs, TagFromName.ManufacturerModelName, "GenerateStudies");
                    put(l, scs, TagFromName.PatientName, patientName);
                    put(l, scs, TagFromName.PatientID, patientId);
                    put(l, scs, TagFromName.PatientBirthDate, birthDate);
                    put(l, scs, TagFromName.PatientSex, sex);
                    put(l, scs, TagFromName.BodyPartExamined, BODY_PARTS[kind]);
                    put(l, scs, TagFromName.SliceThickness, fmt(thickness));
                    put(l, scs, new AttributeTag(0x0018, 0x0060), "120");   // KVP (no TagFromName constant)
                    put(l, scs, TagFromName.PatientPosition, "HFS");
                    put(l, scs, TagFromName.StudyInstanceUID, studyUid);
                    put(l, scs, TagFromName.SeriesInstanceUID, seriesUid);
                    put(l, scs, TagFromName.StudyID, Integer.toString(st + 1));
                    put(l, scs, TagFromName.SeriesNumber, Integer.toString(se + 1));
                    put(l, scs, TagFromName.AcquisitionNumber, "1");
                    put(l, scs, TagFromName.InstanceNumber, Integer.toString(in + 1));
                    put(l, scs, TagFromName.ImagePositionPatient, "-250", "-250", fmt(z));
                    put(l, scs, TagFromName.ImageOrientationPatient, "1", "0", "0", "0", "1", "0");
                    put(l, scs, TagFromName.FrameOfReferenceUID, forUid);
                    put(l, scs, TagFromName.PositionReferenceIndicator);
                    put(l, scs, TagFromName.SliceLocation, fmt(z));
                    put(l, scs, TagFromName.SamplesPerPixel, "1");
                    put(l, scs, TagFromName.PhotometricInterpretation, "MONOCHROME2");
                    put(l, scs, TagFromName.Rows, Integer.toString(ROWS));
                    put(l, scs, TagFromName.Columns, Integer.toString(COLS));
                    put(l, scs, TagFromName.PixelSpacing, fmt(PIXEL_SPACING), fmt(PIXEL_SPACING));
                    put(l, scs, TagFromName.BitsAllocated, "16");
                    put(l, scs, TagFromName.BitsStored, "12");
                    put(l, scs, TagFromName.HighBit, "11");
                    put(l, scs, TagFromName.PixelRepresentation, "0");
                    put(l, scs, TagFromName.WindowCenter, "40");
                    put(l, scs, TagFromName.WindowWidth, "400");
                    put(l, scs, TagFromName.RescaleIntercept, "-1024");
                    put(l, scs, TagFromName.RescaleSlope, "1");
                    put(l, scs, TagFromName.RescaleType, "HU");
                    FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "GENSTUDIES");
                    File file = dir.resolve(sopUid + ".dcm").toFile();
                    long noiseSeed = rnd.nextLong();
                    int slice = in, count = instances;
                    jobs.add(pool.submit(() -> {
                        OtherWordAttribute px = new OtherWordAttribute(TagFromName.PixelData);
                        px.setValues(pixels(base, slice, count, noiseSeed), false);   // little-endian bytes
                        l.put(px);
                        try (OutputStream os = new BufferedOutputStream(new FileOutputStream(file), 1 << 16)) {
                            l.write(os, TransferSyntax.ExplicitVRLittleEndian, true, false);
                        }
                        bytes.addAndGet(file.length());
                        return null;
                    }));
                }
            }
        }
        for (Future<?> f : jobs) f.get();
        pool.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT,
            "GenerateStudies: %d studies x %d series x %d instances = %d files, %.1f MB, %.2f s, seed %d, charset %s -> %s%n",
            studies, series, instances, jobs.size(), bytes.get() / 1e6, secs, seed,
            charset.isEmpty() ? "none" : charset, out);
    }

    /** 2.25.<UUID as an unsigned decimal integer> (at most 44 characters). */
    static String uid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    static String fmt(double d) {                               // DS: at most 16 characters
        String s = String.format(Locale.ROOT, "%.6f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.length() > 16 ? s.substring(0, 16) : s;
    }

    /** Adds an attribute with the dictionary's VR; string values are encoded with the given character set. */
    static void put(AttributeList l, SpecificCharacterSet scs, AttributeTag tag, String... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag, DICT.getValueRepresentationFromTag(tag), scs);
        for (String v : values) a.addValue(v);
        l.put(a);
    }

    /** Stored values (HU + 1024) of a simple body phantom: air, an ellipse of soft tissue, lungs, a spine. */
    static short[] phantom(int kind, int seriesIndex) {
        short[] p = new short[ROWS * COLS];
        double ax = 200 - 10 * kind, ay = 150 - 5 * seriesIndex % 40;
        for (int y = 0; y < ROWS; y++) {
            for (int x = 0; x < COLS; x++) {
                double dx = x - 256, dy = y - 256;
                int hu = -1000;
                if ((dx * dx) / (ax * ax) + (dy * dy) / (ay * ay) <= 1) {
                    hu = 40;
                    double lx = Math.abs(dx) - 80, ly = dy + 10;
                    if ((lx * lx) / (50 * 50) + (ly * ly) / (90 * 90) <= 1) hu = -850;          // lungs
                    double sx = dx, sy = dy - 100;
                    if (sx * sx + sy * sy <= 25 * 25) hu = 700;                                  // spine
                }
                p[y * COLS + x] = (short) (hu + 1024);
            }
        }
        return p;
    }

    /** Phantom + a lesion whose radius varies along the series + cheap xorshift noise, as little-endian bytes. */
    static byte[] pixels(short[] base, int slice, int count, long seed) {
        byte[] out = new byte[ROWS * COLS * 2];
        double r = 10 + 30 * Math.sin(Math.PI * (slice + 0.5) / count);
        int cx = 300, cy = 220, r2 = (int) (r * r);
        long s = seed | 1;
        for (int y = 0, i = 0; y < ROWS; y++) {
            int dy = y - cy;
            for (int x = 0; x < COLS; x++, i++) {
                s ^= s << 13; s ^= s >>> 7; s ^= s << 17;
                int v = base[i] + (int) (s & 31) - 16;
                int dx = x - cx;
                if (dx * dx + dy * dy <= r2) v += 60;
                v = Math.max(0, Math.min(4095, v));
                out[2 * i] = (byte) v;
                out[2 * i + 1] = (byte) (v >> 8);
            }
        }
        return out;
    }
}
