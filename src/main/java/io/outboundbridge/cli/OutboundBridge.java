package io.outboundbridge.cli;

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

    public static void main(String[] args) {
        System.exit(new CommandLine(new OutboundBridge()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
