package dev.modproxy.audit.segment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar of one segment: its time span and, per module path, where that module's events lie.
 *
 * <p>Format ({@code <segment>.idx.json}, UTF-8 JSON):
 * <pre>{"schema":1,"partition":0,"firstOffset":100,"lastOffset":199,"count":97,
 *  "minTime":"...","maxTime":"...",
 *  "modules":[{"module":"golang.org/x/text","offset":0,"length":812,"count":9}, ...]}</pre>
 * {@code offset}/{@code length} are bytes of the compressed segment: the gzip member that holds
 * the module's events (with those of its neighbours in path order, when a module has few), so a
 * query for one module reads only that range. Events without a module
 * (API requests) are listed under {@code ""}. Modules are in ascending order.
 */
public record SegmentIndex(int partition, long firstOffset, long lastOffset, int count,
                           Instant minTime, Instant maxTime, List<Member> modules) {

    private static final JsonFactory JSON = new JsonFactory();

    /** One module's events in the segment: a byte range holding one gzip member. */
    public record Member(String module, long offset, long length, int count) {
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + modules.size() * 64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schema", 1);
            g.writeNumberField("partition", partition);
            g.writeNumberField("firstOffset", firstOffset);
            g.writeNumberField("lastOffset", lastOffset);
            g.writeNumberField("count", count);
            g.writeStringField("minTime", minTime.toString());
            g.writeStringField("maxTime", maxTime.toString());
            g.writeArrayFieldStart("modules");
            for (Member m : modules) {
                g.writeStartObject();
                g.writeStringField("module", m.module());
                g.writeNumberField("offset", m.offset());
                g.writeNumberField("length", m.length());
                g.writeNumberField("count", m.count());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return out.toByteArray();
    }

    public static SegmentIndex decode(byte[] json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("segment index is not a JSON object");
            }
            int partition = 0, count = 0;
            long first = 0, last = 0;
            Instant min = null, max = null;
            List<Member> modules = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "partition" -> partition = p.getIntValue();
                    case "firstOffset" -> first = p.getLongValue();
                    case "lastOffset" -> last = p.getLongValue();
                    case "count" -> count = p.getIntValue();
                    case "minTime" -> min = Instant.parse(p.getText());
                    case "maxTime" -> max = Instant.parse(p.getText());
                    case "modules" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            String module = null;
                            long off = 0, len = 0;
                            int n = 0;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                switch (f) {
                                    case "module" -> module = p.getText();
                                    case "offset" -> off = p.getLongValue();
                                    case "length" -> len = p.getLongValue();
                                    case "count" -> n = p.getIntValue();
                                    default -> p.skipChildren();
                                }
                            }
                            modules.add(new Member(module, off, len, n));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (min == null || max == null) {
                throw new IOException("segment index lacks its time span");
            }
            return new SegmentIndex(partition, first, last, count, min, max, List.copyOf(modules));
        }
    }
}
