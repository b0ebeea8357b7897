package org.dicomweb.gateway.core.deid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table "Differences from Orthanc" of docs/deidentification.md, as the test reads it: each row names attributes
 * (tags, "xx" for repeating digits), the gateway's outcome, Orthanc's outcome and the reason. A difference is
 * documented when a row names its attribute (at any depth) with both outcomes.
 */
final class DocumentedDifferences {

    static final String HEADING = "## Differences from Orthanc";
    private static final Pattern TAG = Pattern.compile("\\(([0-9A-Fa-fx]{4}),([0-9A-Fa-fx]{4})\\)");

    private record Row(List<Pattern> tags, String ours, String theirs) {
    }

    private final List<Row> rows;

    private DocumentedDifferences(List<Row> rows) {
        this.rows = rows;
    }

    static DocumentedDifferences read(Path markdown) throws IOException {
        List<Row> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith(HEADING);
            } else if (inSection && line.startsWith("|")) {
                String[] cells = line.split("\\|", -1);
                if (cells.length < 5) {
                    continue;
                }
                List<Pattern> tags = new ArrayList<>();
                Matcher matcher = TAG.matcher(cells[1]);
                while (matcher.find()) {
                    tags.add(Pattern.compile("(?i)\\(" + matcher.group(1).replaceAll("[xX]", "[0-9A-F]") + ","
                            + matcher.group(2).replaceAll("[xX]", "[0-9A-F]") + "\\)"));
                }
                rows.add(new Row(tags, cells[2].trim().toLowerCase(Locale.ROOT), cells[3].trim().toLowerCase(Locale.ROOT)));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException(markdown + " has no table under \"" + HEADING + "\"");
        }
        return new DocumentedDifferences(rows);
    }

    boolean covers(Outcomes.Difference difference) {
        String tag = Outcomes.text(difference.tag());
        return rows.stream().anyMatch(row -> row.ours.equals(difference.ours().word())
                && row.theirs.equals(difference.theirs().word())
                && row.tags.stream().anyMatch(pattern -> pattern.matcher(tag).matches()));
    }
}
