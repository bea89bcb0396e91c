package io.outboundbridge.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line of outbound-bridge: {@code java -jar outbound-bridge.jar COMMAND}. */
@Command(name = "outbound-bridge", mixinStandardHelpOptions = true, version = "outbound-bridge 0.1.0",
        description = "Customer lists dropped on a folder or SFTP become signed outbound-call tasks at the vendor.",
        subcommands = {RunCommand.class, DemoCommand.class, ValidateCommand.class, KeygenCommand.class,
            SandboxCommand.class, StatusCommand.class, CheckRoutesCommand.class})
public final class OutboundBridge implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) throws InterruptedException {
        // logging starts while picocli reads the commands' annotations: each takes a good part of a tenth of a
        // second, and no command runs (nothing logs) before both are done
        Thread logging = new Thread(LoggerFactory::getILoggerFactory, "outbound-bridge-logging");
        logging.start();
        CommandLine commandLine = new CommandLine(new OutboundBridge());
        logging.join();
        System.exit(commandLine.execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
