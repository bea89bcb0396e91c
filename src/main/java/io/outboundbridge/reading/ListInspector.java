package io.outboundbridge.reading;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.csv.CsvFileException;
import io.outboundbridge.csv.CsvRecord;
import io.outboundbridge.csv.CustomerCsvReader;
import io.outboundbridge.csv.RejectsCsvWriter;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.RowResult;
import io.outboundbridge.task.RowValidator;
import io.outboundbridge.task.Violation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Reads a whole customer list once, as a stream: every row validated, invalid rows written to the rejects
 * report, valid customers spooled in file order for sending (on a second thread), and the file's SHA-256 taken on
 * the way. Memory stays flat whatever the file size.
 */
public final class ListInspector {

    static final String SPOOL = "customers.jsonl";
    static final String SPOOL_INDEX = "customers.idx";
    static final String REJECTS = "rejects.csv";
    private static final int FIRST_REJECTIONS = 20;
    /** The measure found at the end of a rule, e.g. {@code (found 21 characters)}. */
    private static final Pattern MEASURE = Pattern.compile("\\s*\\([^)]*\\)\\s*$");

    private final Charset charset;
    private final ObjectMapper mapper;
    private final Executor spoolWriters;

    /** @param spoolWriters runs the writing of the spool beside the reading of the list */
    public ListInspector(Charset charset, ObjectMapper mapper, Executor spoolWriters) {
        this.charset = charset;
        this.mapper = mapper;
        this.spoolWriters = spoolWriters;
    }

    /** An inspector whose spool is written by a thread of its own each time. */
    public ListInspector(Charset charset, ObjectMapper mapper) {
        this(charset, mapper, CustomerSpool.ownThread());
    }

    /** Inspects {@code file} with the validator of the list's profile; results go to {@code workDir}. */
    public Inspection inspect(Path file, String displayName, RowValidator validator, Path workDir) {
        MessageDigest sha = sha256();
        Path spool = workDir.resolve(SPOOL);
        Path spoolIndex = workDir.resolve(SPOOL_INDEX);
        Path rejectsFile = workDir.resolve(REJECTS);
        long rows = 0;
        long accepted = 0;
        long rejected = 0;
        Map<String, Long> reasons = new TreeMap<>();
        List<String> firstRejections = new ArrayList<>();
        try {
            Files.createDirectories(workDir);
            try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), sha);
                    CustomerCsvReader reader = CustomerCsvReader.open(in, displayName, charset);
                    RejectsCsvWriter rejects = new RejectsCsvWriter(rejectsFile);
                    CustomerSpool customers = new CustomerSpool(spool, spoolIndex, mapper.writerFor(Customer.class),
                            spoolWriters);
                    // off the heap, in the work folder: memory stays flat however many ids a list has
                    DuplicateIdGuard ids = new DuplicateIdGuard(workDir)) {
                while (reader.hasNext()) {
                    CsvRecord rec = reader.next();
                    rows++;
                    RowResult result = validator.validate(rec.row());
                    List<Violation> problems = problems(rec, result, ids);
                    if (problems.isEmpty()) {
                        customers.write(result.customer());
                        accepted++;
                    } else {
                        rejected++;
                        for (Violation v : problems) {
                            rejects.write(rec.row().line(), v, rec.original());
                            reasons.merge(reason(v), 1L, Long::sum);
                            if (firstRejections.size() < FIRST_REJECTIONS) {
                                firstRejections.add("line " + rec.row().line() + ", " + v.column() + ": " + v.rule());
                            }
                        }
                    }
                }
                in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (CsvFileException e) {
            throw new ListFailedException("parse", e.getMessage(), e);
        } catch (IOException e) {
            throw new ListFailedException("read", displayName + ": cannot be read: " + e.getMessage(), e);
        }
        return new Inspection(rows, accepted, rejected, reasons, HexFormat.of().formatHex(sha.digest()), spool,
                spoolIndex, Files.exists(rejectsFile) ? rejectsFile : null, List.copyOf(firstRejections));
    }

    private static List<Violation> problems(CsvRecord rec, RowResult result, DuplicateIdGuard ids) {
        if (rec.problems().isEmpty() && result.violations().isEmpty()) {
            long first = ids.firstLineOf(result.customer().externalCustomerId(), rec.row().line());
            return first == 0 ? List.of() : List.of(new Violation("externalCustomerId",
                    "duplicate externalCustomerId in this file (first at line " + first + ")"));
        }
        List<Violation> problems = new ArrayList<>(rec.problems());
        problems.addAll(result.violations());
        return problems;
    }

    /** The rule without the measure found, so rows breaking the same rule count together. */
    static String reason(Violation v) {
        String rule = MEASURE.matcher(v.rule()).replaceAll("");
        return v.column() + ": " + rule;
    }

    /** Hex SHA-256 of a file's bytes, as an inspection takes it while it reads them. */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
