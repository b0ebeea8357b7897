package org.dicomweb.gateway.backend.s3.wado;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The placeholder of stored metadata becomes the AE's URL however the bytes are cut into writes. */
class BaseReplacingStreamTest {

    private static final String BASE = "http://gw:8080/dicomweb/aets/S3";

    @Property(tries = 500)
    void replacesEveryPlaceholderAndNothingElse(@ForAll("texts") String text, @ForAll("cuts") List<Integer> cuts)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        OutputStream out = StoredMetadata.served(target, BASE);
        int at = 0;
        for (int cut : cuts) {
            int n = Math.min(cut, bytes.length - at);
            out.write(bytes, at, n);
            at += n;
        }
        out.write(bytes, at, bytes.length - at);
        out.close();
        assertEquals(text.replace(StoredMetadata.BASE, BASE), target.toString(StandardCharsets.UTF_8));
    }

    /** Texts made of the placeholder, its prefixes and near misses, and other characters. */
    @Provide
    Arbitrary<String> texts() {
        String token = StoredMetadata.BASE;
        Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.just(token),
                Arbitraries.integers().between(1, token.length() - 1).map(n -> token.substring(0, n)),
                Arbitraries.just("uurn:"), Arbitraries.strings().withChars("u:rn\"/{}[]ab").ofMaxLength(6));
        return pieces.list().ofMaxSize(12).map(list -> String.join("", list));
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 40).list().ofMaxSize(8);
    }
}
