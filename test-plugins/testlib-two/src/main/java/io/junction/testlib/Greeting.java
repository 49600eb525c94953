package io.junction.testlib;

/** Version two of the test library: an incompatible change (a new required argument). */
public final class Greeting {

    private Greeting() {
    }

    public static String version(String prefix) {
        return prefix + "2";
    }
}
