package ovsj.vswitchd;

/**
 * A rule file that does not parse: the message names the file, the line and the offending token, e.g.
 * {@code rules.txt:3: "nw_src=10.0.0.0/33": prefix length 33 is not in 0..32}.
 */
public final class RulesParseException extends Exception {
    private final String source;
    private final int line;
    private final String token;

    public RulesParseException(String source, int line, String token, String message) {
        super(source + ":" + line + ": " + (token != null ? "\"" + token + "\": " : "") + message);
        this.source = source;
        this.line = line;
        this.token = token;
    }

    /** The file (or other source) name. */
    public String source() {
        return source;
    }

    /** 1-based line number. */
    public int line() {
        return line;
    }

    /** The token at fault, or null if the error is about the whole line. */
    public String token() {
        return token;
    }
}
