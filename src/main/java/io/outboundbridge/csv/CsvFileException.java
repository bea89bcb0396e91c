package io.outboundbridge.csv;

/**
 * A problem with a CSV file as a whole (encoding, header, quoting, no data): the file goes to error and nothing is sent.
 * The message names the file, the physical line where there is one, and the problem.
 */
public class CsvFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CsvFileException(String message) {
        super(message);
    }

    public CsvFileException(String message, Throwable cause) {
        super(message, cause);
    }

    static CsvFileException at(String fileName, long line, String problem) {
        return new CsvFileException(fileName + " line " + line + ": " + problem);
    }
}
