package dev.modproxy.gateway.doctor;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The doctor's tickets: an unguessable nonce that holds one canary slot for {@link #TTL}, and
 * what the gateway saw of that slot's canary version meanwhile (the GOPROXY files and the
 * checksum lookup, as whom, from which address). Bounded: at most {@link Canary#SLOTS} tickets
 * (a slot is free again once its ticket expired), each with at most {@link #MAX_SEEN} sightings.
 *
 * <p>Kept in this gateway replica's memory: behind a load balancer without session affinity a
 * doctor may ask another replica than the one that saw its go command (it then reports the
 * ticket unknown rather than a wrong answer).
 */
public final class CanaryTickets {

    static final Duration TTL = Duration.ofMinutes(3);
    static final int MAX_SEEN = 16;
    /**
     * Live tickets one client address may hold: enough for a few CI jobs behind one NAT, and
     * one address alone cannot hold every slot and lock the doctor out for everyone.
     */
    static final int MAX_PER_CLIENT = 4;

    /**
     * One request of the ticket's canary version that reached the gateway; {@code status} is
     * what the gateway answered, or 0 for a checksum lookup passed on to sumdb-service.
     */
    public record Sighting(Instant time, String what, String identity, String address, String userAgent, int status) {
    }

    /**
     * A ticket: its nonce, slot, the address it was issued to, when, and what was seen of its
     * slot since.
     */
    public record Ticket(String nonce, int slot, String client, Instant issued, List<Sighting> seen) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Ticket[] bySlot = new Ticket[Canary.SLOTS];

    public CanaryTickets(Clock clock) {
        this.clock = clock;
    }

    /**
     * A new ticket on a free slot for {@code client}; empty when every slot is held (too many
     * doctors at once) or the client holds {@link #MAX_PER_CLIENT} live tickets already.
     */
    public synchronized Optional<Ticket> issue(String client) {
        Instant now = clock.instant();
        int held = 0;
        for (Ticket t : bySlot) {
            if (t != null && !expired(t, now) && java.util.Objects.equals(t.client(), client)) {
                held++;
            }
        }
        if (held >= MAX_PER_CLIENT) {
            return Optional.empty();
        }
        int start = random.nextInt(Canary.SLOTS);
        for (int i = 0; i < Canary.SLOTS; i++) {
            int slot = (start + i) % Canary.SLOTS;
            Ticket t = bySlot[slot];
            if (t == null || expired(t, now)) {
                byte[] n = new byte[16];
                random.nextBytes(n);
                Ticket fresh = new Ticket(HexFormat.of().formatHex(n), slot, client, now, new ArrayList<>());
                bySlot[slot] = fresh;
                return Optional.of(fresh);
            }
        }
        return Optional.empty();
    }

    /** Notes a request of the slot's canary version, if a live ticket holds the slot. */
    public synchronized void saw(int slot, String what, String identity, String address, String userAgent, int status) {
        Ticket t = bySlot[slot];
        if (t != null && !expired(t, clock.instant()) && t.seen().size() < MAX_SEEN) {
            t.seen().add(new Sighting(clock.instant(), what, identity, address, userAgent, status));
        }
    }

    /** The live ticket of {@code nonce}, with a copy of its sightings. */
    public synchronized Optional<Ticket> find(String nonce) {
        Instant now = clock.instant();
        for (Ticket t : bySlot) {
            if (t != null && !expired(t, now) && java.security.MessageDigest.isEqual(
                    t.nonce().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    nonce.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                return Optional.of(new Ticket(t.nonce(), t.slot(), t.client(), t.issued(), List.copyOf(t.seen())));
            }
        }
        return Optional.empty();
    }

    private static boolean expired(Ticket t, Instant now) {
        return t.issued().plus(TTL).isBefore(now);
    }
}
