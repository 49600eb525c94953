package io.junction.runtime.server;

import java.util.List;

/** The runtime could not start; each problem names the config path or file concerned. */
public final class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public StartupException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
