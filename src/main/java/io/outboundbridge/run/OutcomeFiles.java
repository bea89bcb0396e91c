package io.outboundbridge.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes a list's outcome files into the day folder it is filed in ({@code archive/D} or {@code error/D}, as
 * {@link Outcomes#report} named it): its
 * report ({@code .result.json} or {@code .error.json}), its rejects report, and for a partner's list a local copy of
 * the list. Each file is written under a {@code .writing-} name and renamed, so a reader never sees half a file.
 */
public final class OutcomeFiles {

    static final String TEMP_PREFIX = ".writing-";
    private static final List<String> SUFFIXES = List.of(".result.json", ".error.json", ".rejects.csv");

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the list's rejects report, if rows were rejected, then its result or error report. */
    public void write(ListRun run, OutcomeReport report) {
        Path folder = run.getOutcomeFolder();
        String name = run.getStoredAs();
        try {
            Files.createDirectories(folder);
            if (run.getInspection() != null && run.getInspection().rejects() != null) {
                place(folder, name + ".rejects.csv", tmp -> Files.copy(run.getInspection().rejects(), tmp));
            }
            byte[] body = json.writeValueAsBytes(report);
            place(folder, name + (run.isFiledAsFailed() ? ".error.json" : ".result.json"), tmp -> Files.write(tmp, body));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outcome of " + run.getFileName() + " in " + folder, e);
        }
    }

    /** A partner's list is kept locally too, beside its outcome files, as a local drop is. */
    public void copyList(ListRun run) {
        Path folder = run.getOutcomeFolder();
        try {
            Files.createDirectories(folder);
            place(folder, run.getStoredAs(), tmp -> Files.copy(run.getListFile(), tmp));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + run.getFileName() + " to " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    /** The outcome files written for the list, to upload to its partner. */
    public List<File> written(ListRun run) {
        Path folder = run.getOutcomeFolder();
        return SUFFIXES.stream().map(s -> folder.resolve(run.getStoredAs() + s)).filter(Files::isRegularFile)
                .map(Path::toFile).toList();
    }

    /** Where outcome file {@code file} goes on the list's partner's server, relative to its inbox folder. */
    public String remoteName(ListRun run, File file) {
        return run.getPartner().remoteName(run.isFiledAsFailed(), run.getDay(), file.getName());
    }

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    private static void place(Path folder, String name, Writer writer) throws IOException {
        Path tmp = folder.resolve(TEMP_PREFIX + name);
        Files.deleteIfExists(tmp);
        try {
            writer.write(tmp);
            Files.move(tmp, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
