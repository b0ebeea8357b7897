package org.dicomweb.gateway.core.frames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.cache.CachedStudy;
import org.dicomweb.gateway.core.dicom.InstanceFile;

/**
 * The instance that stands for a series or a study in rendered and thumbnail resources: the middle instance of the
 * series (by Instance Number; of an even count, the lower middle one), and for a study, that of its first series (by
 * Series Number). Ties are broken by UID, so the choice is stable.
 */
public final class RepresentativeInstance {

    private record Ordered(CachedInstance instance, int seriesNumber, int instanceNumber) {
    }

    private static final Comparator<Ordered> ORDER = Comparator.comparingInt(Ordered::seriesNumber)
            .thenComparing(o -> o.instance().seriesUid())
            .thenComparingInt(Ordered::instanceNumber)
            .thenComparing(o -> o.instance().sopInstanceUid());

    private RepresentativeInstance() {
    }

    /** Of the study's instances in {@code seriesUid}, or of all of them if null; empty if there are none. */
    public static Optional<CachedInstance> of(CachedStudy study, String seriesUid) {
        List<Ordered> ordered = study.instances().stream()
                .filter(i -> seriesUid == null || i.seriesUid().equals(seriesUid))
                .map(RepresentativeInstance::ordered)
                .sorted(ORDER)
                .toList();
        if (ordered.isEmpty()) {
            return Optional.empty();
        }
        String firstSeries = ordered.get(0).instance().seriesUid();
        List<Ordered> series = ordered.stream().filter(o -> o.instance().seriesUid().equals(firstSeries)).toList();
        return Optional.of(series.get((series.size() - 1) / 2).instance());
    }

    /** Reads the header (up to the pixel data) for the numbers; a missing number sorts first. */
    private static Ordered ordered(CachedInstance instance) {
        try {
            AttributeList header = InstanceFile.read(instance.file()).dataSet();
            return new Ordered(instance,
                    Attribute.getSingleIntegerValueOrDefault(header, TagFromName.SeriesNumber, Integer.MIN_VALUE),
                    Attribute.getSingleIntegerValueOrDefault(header, TagFromName.InstanceNumber, Integer.MIN_VALUE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
