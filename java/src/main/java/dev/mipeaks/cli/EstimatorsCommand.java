package dev.mipeaks.cli;

// LOCAL PLACEHOLDER, NOT COMMITTED: the lead's real class lives in main.
@picocli.CommandLine.Command(name = "estimators-placeholder", hidden = true)
final class EstimatorsCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
