package dev.mipeaks.report;

import dev.mipeaks.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
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
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.LegendItemSource;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.Size2D;
import org.jfree.svg.SVGGraphics2D;

/**
 * One or more charts laid out in a grid, saved as PNG (java2d) and SVG (JFreeSVG) from the same drawing code, with
 * an optional title band for the whole figure (what, and on which run: model, dataset, problems) and one legend for
 * the whole figure under the grid (the panels then carry none). Rendering needs no display: the JVM is switched to
 * headless mode before any AWT class is touched.
 */
public final class Figure {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int LEGEND_HEIGHT = 34;

    private final List<JFreeChart> charts;
    private final int columns;
    private final int panelWidth;
    private final int panelHeight;
    private final String title;
    private final String subtitle;
    private final LegendItemCollection legend;

    public Figure(List<JFreeChart> charts, int columns, int panelWidth, int panelHeight) {
        this(charts, columns, panelWidth, panelHeight, null, null, null);
    }

    private Figure(List<JFreeChart> charts, int columns, int panelWidth, int panelHeight, String title,
                   String subtitle, LegendItemCollection legend) {
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one chart");
        }
        this.charts = List.copyOf(charts);
        this.columns = Math.max(1, Math.min(columns, charts.size()));
        this.panelWidth = panelWidth;
        this.panelHeight = panelHeight;
        this.title = title;
        this.subtitle = subtitle;
        this.legend = legend;
    }

    public static Figure single(JFreeChart chart, int width, int height) {
        return new Figure(List.of(chart), 1, width, height);
    }

    /**
     * A grid sized to the number of panels: one column for 1 panel, two for 2 to 4, three beyond (rows grow with
     * the count, so 12 panels are a 3 x 4 page, not a strip).
     */
    public static Figure grid(List<JFreeChart> charts, int panelWidth, int panelHeight) {
        return new Figure(charts, columnsFor(charts.size()), panelWidth, panelHeight);
    }

    public static int columnsFor(int panels) {
        return panels <= 1 ? 1 : panels <= 4 ? 2 : 3;
    }

    /** This figure with a title (and a smaller subtitle line, may be null) above the grid. */
    public Figure withTitle(String title, String subtitle) {
        return new Figure(charts, columns, panelWidth, panelHeight, title, subtitle, legend);
    }

    /** This figure with one legend under the grid, for every panel. */
    public Figure withLegend(LegendItemCollection items) {
        return new Figure(charts, columns, panelWidth, panelHeight, title, subtitle, items);
    }

    public List<JFreeChart> charts() {
        return charts;
    }

    public int columns() {
        return columns;
    }

    public String title() {
        return title;
    }

    public String subtitle() {
        return subtitle;
    }

    /** The figure's legend (null when it has none). */
    public LegendItemCollection legend() {
        return legend;
    }

    /** Legends drawn in the figure: the figure's own plus any panel that still carries one. */
    public int legendCount() {
        int n = legend == null ? 0 : 1;
        for (JFreeChart c : charts) {
            if (c.getLegend() != null && c.getLegend().isVisible()) {
                n++;
            }
        }
        return n;
    }

    private int rows() {
        return (charts.size() + columns - 1) / columns;
    }

    private int top() {
        return bandHeight(titleBlock()) + bandHeight(subtitleBlock());
    }

    private TextTitle titleBlock() {
        if (title == null) {
            return null;
        }
        TextTitle t = new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 15));
        t.setPadding(new RectangleInsets(8, 8, 2, 8));
        return t;
    }

    private TextTitle subtitleBlock() {
        if (subtitle == null) {
            return null;
        }
        TextTitle t = new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        t.setPaint(Color.DARK_GRAY);
        t.setPadding(new RectangleInsets(2, 8, 4, 8));
        return t;
    }

    /** The height a title needs at this figure's width (it wraps when it is wider), 0 for none. */
    private int bandHeight(TextTitle t) {
        if (t == null) {
            return 0;
        }
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return (int) Math.ceil(arrange(g, t, width()).getHeight()) + 2;
        } finally {
            g.dispose();
        }
    }

    private static Size2D arrange(Graphics2D g, Title t, double width) {
        Size2D size = t.arrange(g, RectangleConstraint.NONE);
        if (size.getWidth() > width) {
            size = t.arrange(g, RectangleConstraint.NONE.toFixedWidth(width));
        }
        return size;
    }

    public int width() {
        return columns * panelWidth;
    }

    public int height() {
        return top() + rows() * panelHeight + (legend == null ? 0 : LEGEND_HEIGHT);
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        int y0 = 0;
        for (TextTitle t : new TextTitle[] {titleBlock(), subtitleBlock()}) {
            if (t != null) {
                int h = bandHeight(t);
                drawTitle(g, t, new Rectangle2D.Double(0, y0, width(), h));
                y0 += h;
            }
        }
        for (int i = 0; i < charts.size(); i++) {
            int x = (i % columns) * panelWidth;
            int y = y0 + (i / columns) * panelHeight;
            charts.get(i).draw(g, new Rectangle2D.Double(x, y, panelWidth, panelHeight));
        }
        if (legend != null) {
            LegendItemSource src = () -> legend;
            LegendTitle lt = new LegendTitle(src);
            lt.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            lt.setFrame(BlockBorder.NONE);
            lt.setPosition(RectangleEdge.BOTTOM);
            lt.setHorizontalAlignment(HorizontalAlignment.CENTER);
            lt.setBackgroundPaint(Color.WHITE);
            drawTitle(g, lt, new Rectangle2D.Double(0, y0 + rows() * panelHeight, width(), LEGEND_HEIGHT));
        }
    }

    /** A title laid out for the band's width (a title draws nothing before it is arranged), centred in the band. */
    private static void drawTitle(Graphics2D g, Title t, Rectangle2D band) {
        Size2D size = arrange(g, t, band.getWidth());
        double w = Math.min(size.getWidth(), band.getWidth());
        double h = Math.min(size.getHeight(), band.getHeight());
        t.draw(g, new Rectangle2D.Double(band.getX() + (band.getWidth() - w) / 2,
                band.getY() + (band.getHeight() - h) / 2, w, h));
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
