package io.outboundbridge.flow;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names for the write-back of a list that came from a partner's SFTP inbox: which local outcome files go to the
 * partner, where on the server they go, and the list's name relative to the inbox.
 */
public final class PartnerOutcomeFiles {

    private static final List<String> SUFFIXES = List.of(".result.json", ".error.json", ".rejects.csv");

    private final Path archive;
    private final Path error;

    public PartnerOutcomeFiles(Path archive, Path error) {
        this.archive = archive;
        this.error = error;
    }

    /** The outcome files written locally for list {@code storedAs} in {@code archive/day} or {@code error/day}. */
    public List<File> outcomeFiles(String outcome, String day, String storedAs) {
        Path folder = ("archive".equals(outcome) ? archive : error).resolve(day);
        return SUFFIXES.stream().map(s -> folder.resolve(storedAs + s)).filter(Files::isRegularFile)
                .map(Path::toFile).toList();
    }

    /**
     * Where an outcome file goes on the server, relative to the inbox folder: {@code remoteArchive/day/NAME} or
     * {@code remoteError/day/NAME}.
     */
    public String remoteName(String outcome, String remoteArchive, String remoteError, String day, File file) {
        String folder = "archive".equals(outcome) ? remoteArchive : remoteError;
        return trimSlash(folder) + "/" + day + "/" + file.getName();
    }

    /**
     * The URI to upload outcome files with: the partner's inbox URI (credentials, known_hosts) plus writing under a
     * temporary name then renaming, and leave to write beside the inbox folder ({@code ../archive/...}).
     */
    public String uploadUri(String partnerUri) {
        return partnerUri + (partnerUri.contains("?") ? "&" : "?")
                + "jailStartingDirectory=false&tempPrefix=.uploading-&binary=true";
    }

    /**
     * The name of a list relative to the inbox ({@code vip/list.csv}), from the name the consumer took it under.
     * The consumer reports it relative to the inbox; a name that still carries the processing folder (it was
     * moved there before the exchange began) loses that prefix.
     */
    public String inboxName(String consumedName, String remoteProcessing) {
        String name = consumedName.replace('\\', '/');
        String prefix = trimSlash(remoteProcessing) + "/";
        if (name.startsWith(prefix)) {
            name = name.substring(prefix.length());
        }
        return Stream.of(name.split("/")).filter(p -> !p.isEmpty() && !p.equals(".")).reduce((a, b) -> a + "/" + b)
                .orElse(name);
    }

    private static String trimSlash(String folder) {
        String f = folder.replace('\\', '/');
        while (f.endsWith("/")) {
            f = f.substring(0, f.length() - 1);
        }
        return f;
    }
}
