package io.outboundbridge.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every line logged in this JVM from {@link #start()} to {@link #close()}, with the message of its exception: what an
 * operator would read, for tests that check what a log says or never says.
 */
public final class CapturedLogs implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs() {
        appender.start();
        root.addAppender(appender);
    }

    public static CapturedLogs start() {
        return new CapturedLogs();
    }

    /** The lines logged so far. */
    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(CapturedLogs::line).toList();
        }
    }

    /** The lines logged so far, one text. */
    public String text() {
        return String.join("\n", lines());
    }

    private static String line(ILoggingEvent e) {
        return e.getLevel() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
