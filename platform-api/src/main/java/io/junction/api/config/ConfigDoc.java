package io.junction.api.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a config record or one of its components; the text becomes the
 * {@code description} of that property in the JSON schema ({@code junction schema}), and
 * {@link #defaultValue()} its {@code default}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface ConfigDoc {

    /** What the property means, in one or two sentences. */
    String value();

    /** The value used when the property is absent, as written in JSON; empty if required or none. */
    String defaultValue() default "";

    /** Whether the property must be present. */
    boolean required() default false;
}
