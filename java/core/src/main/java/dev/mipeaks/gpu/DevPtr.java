package dev.mipeaks.gpu;

import jcuda.driver.CUdeviceptr;

/** A device pointer whose address can be written into a kernel argument struct (JCuda keeps it protected). */
final class DevPtr extends CUdeviceptr {
    long address() {
        return getNativePointer();
    }
}
