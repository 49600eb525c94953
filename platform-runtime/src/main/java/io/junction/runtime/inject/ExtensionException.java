package io.junction.runtime.inject;

/** An extension whose implementation could not be built; the message names the config path. */
public final class ExtensionException extends Exception {

    private static final long serialVersionUID = 1L;

    public ExtensionException(String message, Throwable cause) {
        super(message, cause);
    }
}
