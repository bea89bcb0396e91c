package io.outboundbridge.task;

import java.util.List;

/** One or more profiles are unusable; the message lists every problem, each naming the profile, key and rule. */
public class ProfileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ProfileException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public ProfileException(String problem) {
        this(List.of(problem));
    }

    /** Each problem on its own, e.g. {@code profile 'default': key 'acw': must be 1..180 (found 0)}. */
    public List<String> problems() {
        return problems;
    }
}
