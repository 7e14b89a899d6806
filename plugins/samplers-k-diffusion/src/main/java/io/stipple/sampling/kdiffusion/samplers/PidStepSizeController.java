package io.stipple.sampling.kdiffusion.samplers;

/**
 * k-diffusion's {@code PIDStepSizeController}: proposes the next step size from the last three
 * error estimates (in double, as the Python floats it works on) and accepts a step when the
 * proposed growth factor is at least {@code acceptSafety}.
 */
final class PidStepSizeController {
    private final double b1;
    private final double b2;
    private final double b3;
    private final double acceptSafety;
    private final double eps;
    private double[] errors;
    private double h;

    PidStepSizeController(double h, double pcoeff, double icoeff, double dcoeff, double order, double acceptSafety) {
        this.h = h;
        this.b1 = (pcoeff + icoeff + dcoeff) / order;
        this.b2 = -(pcoeff + 2 * dcoeff) / order;
        this.b3 = dcoeff / order;
        this.acceptSafety = acceptSafety;
        this.eps = 1e-8;
    }

    double h() {
        return h;
    }

    /** Updates the step size for this error; true when the step that produced it is accepted. */
    boolean proposeStep(double error) {
        double inverse = 1 / (error + eps);
        if (errors == null) {
            errors = new double[] {inverse, inverse, inverse};
        }
        errors[0] = inverse;
        double factor = Math.pow(errors[0], b1) * Math.pow(errors[1], b2) * Math.pow(errors[2], b3);
        factor = 1 + Math.atan(factor - 1);
        boolean accept = factor >= acceptSafety;
        if (accept) {
            errors[2] = errors[1];
            errors[1] = errors[0];
        }
        h *= factor;
        return accept;
    }
}
