package io.outboundbridge.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line of outbound-bridge: {@code java -jar outbound-bridge.jar COMMAND}. */
@Command(name = OutboundBridge.NAME, mixinStandardHelpOptions = true, version = "outbound-bridge 0.1.0",
        description = "Customer lists dropped on a folder or SFTP become signed outbound-call tasks at the vendor.",
        subcommands = {RunCommand.class, DemoCommand.class, ValidateCommand.class, KeygenCommand.class,
            SandboxCommand.class, StatusCommand.class, LedgerRestoreCommand.class, CheckRoutesCommand.class})
public final class OutboundBridge implements Runnable {

    static final String NAME = "outbound-bridge";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) throws InterruptedException {
        // logging starts while picocli reads the commands' annotations: each takes a good part of a tenth of a
        // second, and no command runs (nothing logs) before both are done
        Thread logging = new Thread(LoggerFactory::getILoggerFactory, "outbound-bridge-logging");
        logging.start();
        CommandLine commandLine = commandLine(args);
        logging.join();
        System.exit(commandLine.execute(args));
    }

    /**
     * The command line for {@code args}. For {@code run} it holds the run command only, so the service starts
     * without picocli reading the annotations of every other command; whatever comes after {@code run} (its
     * options, its help, its errors) reads the same.
     */
    static CommandLine commandLine(String... args) {
        if (args.length > 0 && args[0].equals("run")) {
            return new CommandLine(CommandLine.Model.CommandSpec.create().name(NAME)).addSubcommand(new RunCommand());
        }
        return new CommandLine(new OutboundBridge());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
