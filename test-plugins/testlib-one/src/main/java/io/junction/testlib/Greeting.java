package io.junction.testlib;

/** Version one of the test library. */
public final class Greeting {

    private Greeting() {
    }

    public static String version() {
        return "1";
    }
}
