package dev.modproxy.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    @Test
    void attemptsCountBeforeTheirCheckAndSuccessesAreGivenBack() {
        AtomicLong now = new AtomicLong(0);
        LoginThrottle t = new LoginThrottle(3, 100, now::get);
        // Three guesses in flight at once: the fourth is refused before any of them is checked.
        t.attempt("ip:a");
        t.attempt("ip:a");
        t.attempt("ip:a");
        assertTrue(t.blockedFor("ip:a") > 0);
        // Two turned out right: their counts come back, one failure is left.
        t.succeeded("ip:a");
        t.succeeded("ip:a");
        assertEquals(0, t.blockedFor("ip:a"));
        // The window ends: everything is forgotten.
        t.attempt("ip:a");
        t.attempt("ip:a");
        assertTrue(t.blockedFor("ip:a") > 0);
        now.addAndGet(LoginThrottle.WINDOW_NANOS);
        assertEquals(0, t.blockedFor("ip:a"));
    }
}
