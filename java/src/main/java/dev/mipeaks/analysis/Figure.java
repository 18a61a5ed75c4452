package dev.mipeaks.analysis;

import dev.mipeaks.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/**
 * One or more charts laid out in a grid, saved as PNG (java2d) and SVG (JFreeSVG) from the same drawing code.
 * Rendering needs no display: the JVM is switched to headless mode before any AWT class is touched.
 */
public final class Figure {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final List<JFreeChart> charts;
    private final int columns;
    private final int panelWidth;
    private final int panelHeight;

    public Figure(List<JFreeChart> charts, int columns, int panelWidth, int panelHeight) {
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one chart");
        }
        this.charts = List.copyOf(charts);
        this.columns = Math.max(1, Math.min(columns, charts.size()));
        this.panelWidth = panelWidth;
        this.panelHeight = panelHeight;
    }

    public static Figure single(JFreeChart chart, int width, int height) {
        return new Figure(List.of(chart), 1, width, height);
    }

    public int width() {
        return columns * panelWidth;
    }

    public int height() {
        return ((charts.size() + columns - 1) / columns) * panelHeight;
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        for (int i = 0; i < charts.size(); i++) {
            int x = (i % columns) * panelWidth;
            int y = (i / columns) * panelHeight;
            charts.get(i).draw(g, new Rectangle2D.Double(x, y, panelWidth, panelHeight));
        }
    }

    /** Writes {@code base}.png and {@code base}.svg atomically; returns the two paths. */
    public List<Path> save(Path dir, String base) throws IOException {
        Path png = dir.resolve(base + ".png");
        Path svg = dir.resolve(base + ".svg");
        BufferedImage img = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
        SVGGraphics2D sg = new SVGGraphics2D(width(), height());
        draw(sg);
        byte[] bytes = sg.getSVGDocument().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(svg, out -> out.write(bytes));
        return List.of(png, svg);
    }
}
