package dev.modproxy.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Calls to a service under {@code @QuarkusTest} as modproxy's own services make them: with the
 * service credential of the test profile ({@code %test.modproxy.internal.token} in the service's
 * application.properties, current token first, previous second).
 */
public final class InternalCalls {

    private InternalCalls() {
    }

    /** RestAssured's {@code given()} with the current token. */
    public static RequestSpecification given() {
        return RestAssured.given().header("Authorization", authorization());
    }

    /** The {@code Authorization} value with the current token. */
    public static String authorization() {
        return "Bearer " + tokens().get(0);
    }

    /** The previous token, still accepted during a rotation. */
    public static String previousToken() {
        return tokens().get(1);
    }

    private static java.util.List<String> tokens() {
        return ConfigProvider.getConfig().getValues("modproxy.internal.token", String.class);
    }
}
