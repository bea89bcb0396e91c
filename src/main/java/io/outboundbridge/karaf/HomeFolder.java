package io.outboundbridge.karaf;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a missing home folder with the packaged defaults (the repository's {@code routes/},
 * {@code config/profiles/} and {@code config/application.properties}), so that a first install has routes to
 * run and files to edit. A home folder that exists is never touched.
 */
final class HomeFolder {

    private static final Logger LOG = LoggerFactory.getLogger(HomeFolder.class);
    /** Where the bundle carries the defaults (see the bundle's Include-Resource in pom.xml). */
    static final String PACKAGED = "outbound-bridge-home";

    private HomeFolder() {
    }

    static void fillIfMissing(Path home, Bundle bundle) throws IOException {
        if (Files.exists(home)) {
            return;
        }
        Enumeration<URL> entries = bundle.findEntries(PACKAGED, "*", true);
        if (entries == null) {
            return;
        }
        Path partial = Files.createDirectories(home.resolveSibling(home.getFileName() + ".creating"));
        while (entries.hasMoreElements()) {
            URL entry = entries.nextElement();
            String name = entry.getPath().substring(entry.getPath().indexOf(PACKAGED) + PACKAGED.length() + 1);
            if (name.isEmpty() || name.endsWith("/")) {
                continue;
            }
            Path target = partial.resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = entry.openStream()) {
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // the home appears whole or not at all
        Files.move(partial, home);
        LOG.info("Created {} with the packaged application.properties, profiles/ and routes/", home);
    }
}
