package org.dicomweb.gateway.core.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.AttributeTag;

/**
 * PS3.15 Table E.1-1, read from the resource {@code table-e1-1.tsv} (the standard's rows, unedited; its header names
 * the edition). Rows for one tag are looked up directly; rows for repeating groups ((50XX,XXXX) curves, (60XX,3000)
 * overlay data...) by mask; the private attributes' row is {@link #privateAttributes()}.
 */
final class ProfileTable {

    static final String RESOURCE = "table-e1-1.tsv";
    private static final String PRIVATE_ROW = "(GGGG,EEEE) WHERE GGGG IS ODD";

    private static final ProfileTable STANDARD = read();

    private final Map<Integer, ProfileRow> exact;
    private final List<Masked> masked;
    private final ProfileRow privateAttributes;

    private record Masked(int mask, int value, ProfileRow row) {
    }

    private ProfileTable(Map<Integer, ProfileRow> exact, List<Masked> masked, ProfileRow privateAttributes) {
        this.exact = exact;
        this.masked = masked;
        this.privateAttributes = privateAttributes;
    }

    static ProfileTable standard() {
        return STANDARD;
    }

    /** The row of a standard (even-group) attribute, or null where the table has none: the profile keeps it. */
    ProfileRow row(AttributeTag tag) {
        int key = tag.getGroup() << 16 | tag.getElement();
        ProfileRow row = exact.get(key);
        if (row != null) {
            return row;
        }
        for (Masked candidate : masked) {
            if ((key & candidate.mask) == candidate.value) {
                return candidate.row;
            }
        }
        return null;
    }

    ProfileRow privateAttributes() {
        return privateAttributes;
    }

    private static ProfileTable read() {
        try (InputStream in = ProfileTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " missing from the deployment");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static ProfileTable parse(BufferedReader reader) throws IOException {
        Map<Integer, ProfileRow> exact = new HashMap<>();
        List<Masked> masked = new ArrayList<>();
        ProfileRow privateAttributes = null;
        List<ProfileOption> columns = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (columns == null) {
                columns = optionColumns(cells);
                continue;
            }
            ProfileRow row = row(cells, columns);
            if (row.tag().equals(PRIVATE_ROW)) {
                privateAttributes = row;
            } else if (row.tag().indexOf('X') >= 0) {
                masked.add(new Masked(mask(row.tag(), true), mask(row.tag(), false), row));
            } else {
                exact.put(mask(row.tag(), false), row);
            }
        }
        if (privateAttributes == null) {
            throw new IllegalStateException(RESOURCE + " has no row for private attributes");
        }
        return new ProfileTable(exact, masked, privateAttributes);
    }

    /** Header: tag, name, std-comp-iod, basic, then the option columns by their names. */
    private static List<ProfileOption> optionColumns(String[] header) {
        List<ProfileOption> columns = new ArrayList<>();
        for (int i = 4; i < header.length; i++) {
            String name = header[i];
            columns.add(java.util.Arrays.stream(ProfileOption.values()).filter(o -> o.column.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(RESOURCE + ": unknown option column " + name)));
        }
        return columns;
    }

    private static ProfileRow row(String[] cells, List<ProfileOption> columns) {
        if (cells.length != 4 + columns.size()) {
            throw new IllegalStateException(RESOURCE + ": row " + cells[0] + " has " + cells.length + " cells");
        }
        Map<ProfileOption, String> options = new EnumMap<>(ProfileOption.class);
        for (int i = 0; i < columns.size(); i++) {
            if (!cells[4 + i].isEmpty()) {
                options.put(columns.get(i), cells[4 + i]);
            }
        }
        return new ProfileRow(cells[0], cells[1], cells[3], options);
    }

    /** "(0008,0050)" → 0x00080050; with {@code mask}, each X (a repeating digit) is 0 and every other digit F. */
    private static int mask(String tag, boolean mask) {
        String digits = tag.substring(1, 5) + tag.substring(6, 10);
        int result = 0;
        for (char digit : digits.toCharArray()) {
            int nibble = digit == 'X' ? 0 : (mask ? 0xF : Character.digit(digit, 16));
            if (nibble < 0) {
                throw new IllegalStateException(RESOURCE + ": bad tag " + tag);
            }
            result = result << 4 | nibble;
        }
        return result;
    }
}
