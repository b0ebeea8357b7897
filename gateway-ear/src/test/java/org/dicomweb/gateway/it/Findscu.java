package org.dicomweb.gateway.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dicomweb.gateway.testpeers.TestPeers;

/** dcmtk's findscu, run directly against a PACS: the reference every gateway search is compared with. */
final class Findscu {

    /** One line of findscu's dump of a response identifier: (gggg,eeee) VR [value] */
    private static final Pattern LINE = Pattern.compile("^I: \\(([0-9a-f]{4}),([0-9a-f]{4})\\) \\w\\w (?:\\[(.*?)\\]|\\(no value available\\)|=\\S*).*");

    private Findscu() {
    }

    /**
     * Runs one Study Root C-FIND; keys are "Keyword=value" or "Keyword" (return key). Returns each match as
     * tag ("GGGGEEEE") to value, values trimmed as DICOM pads them.
     */
    static List<Map<String, String>> find(String aet, int port, String level, String... keys) {
        List<String> command = new ArrayList<>(List.of("findscu", "-v", "-S", "-aet", "FINDSCU", "-aec", aet,
                "-k", "QueryRetrieveLevel=" + level, "-k", "SpecificCharacterSet=ISO_IR 192"));
        for (String key : keys) {
            command.add("-k");
            command.add(key);
        }
        command.add(TestPeers.HOST);
        command.add(String.valueOf(port));
        List<Map<String, String>> matches = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : TestPeers.run(command.toArray(String[]::new)).lines().toList()) {
            if (line.startsWith("I: Find Response:") && line.contains("(Pending)")) {
                current = new LinkedHashMap<>();
                matches.add(current);
            } else if (line.startsWith("I: Received Final Find Response")) {
                current = null;
            } else if (current != null) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    current.put((m.group(1) + m.group(2)).toUpperCase(), m.group(3) == null ? "" : m.group(3).trim());
                }
            }
        }
        return matches;
    }

    static int port(String aet) {
        return aet.equals("ORTHANC") ? TestPeers.ORTHANC_PORT : TestPeers.DCMQRSCP_PORT;
    }
}
