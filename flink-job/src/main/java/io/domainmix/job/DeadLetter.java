package io.domainmix.job;

/**
 * A rejected record, as written to the dead-letter topic: why (a stable reason name and a
 * detail), where it came from (topic, partition, offset, key), and a safe excerpt of its value.
 */
public final class DeadLetter {
    /** Longest excerpt kept, in characters: enough to recognise a record, bounded for huge ones. */
    public static final int EXCERPT_CHARS = 512;

    public String reason;
    public String detail;
    public String topic;
    public int partition;
    public long offset;
    public String key;
    /** The value as text (invalid UTF-8 replaced, control characters escaped), truncated. */
    public String excerpt;
    public int valueBytes;
    public String runId;

    public DeadLetter() {}

    /** A dead letter for a record that was refused for {@code reason} (a stable name) and {@code detail}. */
    public static DeadLetter of(RawRecord r, String reason, String detail, String runId) {
        DeadLetter d = new DeadLetter();
        d.reason = reason;
        d.detail = detail;
        d.topic = r.topic;
        d.partition = r.partition;
        d.offset = r.offset;
        d.key = r.key;
        d.excerpt = excerptOf(r.value);
        d.valueBytes = r.value == null ? 0 : r.value.length;
        d.runId = runId;
        return d;
    }

    /** The value bytes as printable text of at most {@link #EXCERPT_CHARS} characters. */
    public static String excerptOf(byte[] value) {
        if (value == null) {
            return null;
        }
        int len = Math.min(value.length, EXCERPT_CHARS * 4);
        String text = new String(value, 0, len, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(Math.min(text.length(), EXCERPT_CHARS + 16));
        for (int i = 0; i < text.length() && b.length() < EXCERPT_CHARS; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= EXCERPT_CHARS || len < value.length) {
            b.append("…");
        }
        return b.toString();
    }
}
