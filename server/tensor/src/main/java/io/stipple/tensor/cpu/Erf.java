package io.stipple.tensor.cpu;

/**
 * The error function in double precision (W. J. Cody's rational approximations, as in most libm
 * implementations); Java's Math has none. Accurate to about 1e-16 relative, far below float32's ulp.
 */
final class Erf {
    private Erf() {}

    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 0.5) {
            double t = x * x;
            double top = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t
                    + 377.485237685302021) * t + 3209.37758913846947;
            double bot = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t
                    + 2844.23683343917062;
            return x * top / bot;
        }
        double r = ax < 4.0 ? erfcMid(ax) : erfcLarge(ax);
        double e = 1.0 - r;
        return x < 0 ? -e : e;
    }

    private static double erfcMid(double x) {
        double top = (((((((2.15311535474403846e-8 * x + 0.564188496988670089) * x + 8.88314979438837594) * x
                + 66.1191906371416295) * x + 298.635138197400131) * x + 881.952221241769090) * x
                + 1712.04761263407058) * x + 2051.07837782607147) * x + 1230.33935479799725;
        double bot = (((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x
                + 1621.38957456669019) * x + 3290.79923573345963) * x + 4362.61909014324716) * x
                + 3439.36767414372164) * x + 1230.33935480374942;
        return Math.exp(-x * x) * top / bot;
    }

    private static double erfcLarge(double x) {
        if (x > 27) {
            return 0;
        }
        double z = 1.0 / (x * x);
        double top = ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z
                + 0.125781726111229246) * z + 0.0160837851487422766) * z + 6.58749161529837803e-4;
        double bot = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z
                + 0.0605183413124413191) * z + 0.00233520497626869185;
        double p = z * top / bot;
        return Math.exp(-x * x) / x * (0.5641895835477563 - p);
    }
}
