package io.outboundbridge.partner;

import java.util.stream.Stream;

/**
 * One partner's SFTP inbox as its route declares it (a bean of the poll-partner-sftp template): its name, its URI
 * and the folders beside the inbox where a list waits, is archived or fails. It names where a list's outcome files
 * go on the server and how they are uploaded there.
 */
public final class PartnerInbox {

    private String name;
    private String uri;
    private String remoteProcessing;
    private String remoteArchive;
    private String remoteError;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public String getRemoteProcessing() {
        return remoteProcessing;
    }

    public void setRemoteProcessing(String remoteProcessing) {
        this.remoteProcessing = remoteProcessing;
    }

    public String getRemoteArchive() {
        return remoteArchive;
    }

    public void setRemoteArchive(String remoteArchive) {
        this.remoteArchive = remoteArchive;
    }

    public String getRemoteError() {
        return remoteError;
    }

    public void setRemoteError(String remoteError) {
        this.remoteError = remoteError;
    }

    /**
     * The URI to upload outcome files with: the partner's inbox URI (credentials, known_hosts) plus writing under a
     * temporary name then renaming, and leave to write beside the inbox folder ({@code ../archive/...}).
     */
    public String getUploadUri() {
        return uri + (uri.contains("?") ? "&" : "?") + "jailStartingDirectory=false&tempPrefix=.uploading-&binary=true";
    }

    /**
     * Where an outcome file goes on the server, relative to the inbox folder: {@code remoteArchive/day/NAME} or
     * {@code remoteError/day/NAME}.
     */
    public String remoteName(boolean failed, String day, String fileName) {
        return trimSlash(failed ? remoteError : remoteArchive) + "/" + day + "/" + fileName;
    }

    /** A list taken from this inbox, by the name the consumer took it under. */
    public PartnerDrop arrived(String consumedName) {
        return new PartnerDrop(this, inboxName(consumedName));
    }

    /**
     * The name of a list relative to the inbox ({@code vip/list.csv}), from the name the consumer took it under.
     * The consumer reports it relative to the inbox; a name that still carries the processing folder (it was
     * moved there before the exchange began) loses that prefix.
     */
    public String inboxName(String consumedName) {
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

    /** The partner's name: its URI may hold credentials and is never shown. */
    @Override
    public String toString() {
        return name;
    }
}
