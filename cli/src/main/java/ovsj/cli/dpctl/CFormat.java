package ovsj.cli.dpctl;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** C's {@code printf("%.Nf")}: the exact binary value rounded half-even, as glibc does. */
final class CFormat {
    private CFormat() {
    }

    static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf");
        }
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return s.equals("-0" + (decimals > 0 ? "." + "0".repeat(decimals) : "")) && v > -0.0 ? s.substring(1) : s;
    }
}
