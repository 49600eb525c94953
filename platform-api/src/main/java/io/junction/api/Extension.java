package io.junction.api;

/**
 * One named extension that a plugin provides: a factory describing how to build an
 * implementation from a JSON config object.
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}, so they need a
 * public no-argument constructor; they should do nothing else. The runtime binds the JSON
 * object that names {@link #type()} (minus its {@code "type"} field) to {@link #configType()}
 * — usually a record that validates itself in its compact constructor — and then builds
 * {@link #implementation()} by injection (see the package documentation).
 *
 * @param <C> the config record the JSON binds to
 * @param <T> the contract the implementation fulfils
 */
public interface Extension<C, T> {

    /** The name used as {@code "type"} in JSON, unique across all plugins, e.g. {@code "round-robin"}. */
    String type();

    /** The class the extension's JSON config binds to; a record with no components if it takes none. */
    Class<C> configType();

    /**
     * The class the runtime instantiates for each use of this extension. It must have a public
     * constructor annotated with {@link jakarta.inject.Inject} (or a public no-argument one).
     */
    Class<? extends T> implementation();

    /** One line describing the extension, shown by {@code junction plugins} and in the JSON schema. */
    default String description() {
        return "";
    }
}
