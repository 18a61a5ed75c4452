package dev.mipeaks.mi;

/** A prepared side whose state is a centred low-rank Gaussian factor: its length and rank are the factor's. */
interface FactorSide extends Estimator.Prepared {
    GaussianFactor factor();

    @Override
    default int length() {
        return factor().length();
    }

    @Override
    default int rank() {
        return factor().rank();
    }
}
