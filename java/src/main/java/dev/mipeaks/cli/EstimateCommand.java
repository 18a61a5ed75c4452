package dev.mipeaks.cli;

// LOCAL PLACEHOLDER, NOT COMMITTED: the lead's real class lives in main.
@picocli.CommandLine.Command(name = "estimate-placeholder", hidden = true)
final class EstimateCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
