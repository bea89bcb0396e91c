package io.outboundbridge.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The age of the oldest list waiting in a local inbox folder (its subfolders too), by its last change: a list that
 * has waited long means the bridge is not taking lists (the ledger, the vendor breaker, a stopped route). Read when
 * the metrics are scraped, so it costs nothing between scrapes.
 */
public final class InboxAge {

    private final Path folder;
    private final Pattern include;
    private final Clock clock;

    public InboxAge(Path folder, Pattern include, Clock clock) {
        this.folder = folder;
        this.include = include;
        this.clock = clock;
    }

    /** Zero when no list waits (or the folder is not there). */
    public Duration oldest() {
        if (!Files.isDirectory(folder)) {
            return Duration.ZERO;
        }
        try (Stream<Path> files = Files.find(folder, Integer.MAX_VALUE, (p, a) -> a.isRegularFile()
                && include.matcher(p.getFileName().toString()).matches())) {
            long oldest = files.mapToLong(InboxAge::changed).filter(t -> t > 0).min().orElse(0);
            return oldest == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldest));
        } catch (IOException | UncheckedIOException e) {
            // a list taken while the folder is walked: the next scrape sees the folder as it is then
            return Duration.ZERO;
        }
    }

    private static long changed(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime().toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
