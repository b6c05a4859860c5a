package io.hookline.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that needs no running service: no Quarkus boot, no database. {@code ./mvnw test -Dgroups=unit} runs only
 * these (seconds instead of minutes). Every test class is either this or a {@code @QuarkusTest}
 * ({@link io.hookline.TestKindsTest} keeps it so).
 */
@Tag("unit")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface UnitTest {}
