package org.hvsim.tools.xlcfg;

import java.math.BigInteger;

/**
 * Reads numbers the way xl does, with C's {@code strtol(s, &end, 0)} rules followed by xl's check
 * that the whole text was used: optional leading white space, an optional sign, then {@code 0x}/{@code 0X}
 * and hex digits, or {@code 0} and octal digits, or decimal digits. Stateless.
 */
final class XlNumbers {

    /** Why a text is not a number, with xl's wording. */
    enum Failure {
        NOT_A_NUMBER("is not a valid number"),
        OUT_OF_RANGE("could not be parsed as a number: Numerical result out of range");

        private final String description;

        Failure(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    /** The value, or why there is none. */
    record Result(long value, Failure failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private XlNumbers() {
    }

    static Result strtol(String text) {
        int i = 0;
        while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < text.length() && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')
                && i + 2 < text.length() && isDigit(text.charAt(i + 2), 16)) {
            radix = 16;
            i += 2;
        } else if (i < text.length() && text.charAt(i) == '0') {
            radix = 8;
        }
        int start = i;
        while (i < text.length() && isDigit(text.charAt(i), radix)) {
            i++;
        }
        if (i == start || i != text.length()) {
            return new Result(0, Failure.NOT_A_NUMBER);
        }
        int significant = start;
        while (significant < i - 1 && text.charAt(significant) == '0') {
            significant++;
        }
        if (i - significant > 22) {
            return new Result(0, Failure.OUT_OF_RANGE);
        }
        BigInteger magnitude = new BigInteger(text.substring(significant, i), radix);
        BigInteger value = negative ? magnitude.negate() : magnitude;
        if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
            return new Result(0, Failure.OUT_OF_RANGE);
        }
        return new Result(value.longValueExact(), null);
    }

    private static boolean isDigit(char c, int radix) {
        return c < 0x80 && Character.digit(c, radix) >= 0;
    }
}
