package dev.mipeaks.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A minimal parser for the DOM that Chromium's --dump-dom serializes (every non-void element closed, attributes
 * double-quoted, text escaped with &amp;amp; &amp;lt; &amp;gt; &amp;nbsp;): enough for tests to query elements by tag,
 * id and class and read their text. Not a general HTML parser.
 */
final class DomTree {
    static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr");

    static final class Node {
        final String tag;
        final Map<String, String> attrs;
        final List<Object> children = new ArrayList<>();  // Node or String
        final Node parent;

        Node(String tag, Map<String, String> attrs, Node parent) {
            this.tag = tag;
            this.attrs = attrs;
            this.parent = parent;
        }

        String attr(String name) {
            return attrs.get(name);
        }

        boolean hasClass(String c) {
            String v = attrs.get("class");
            return v != null && List.of(v.trim().split("\\s+")).contains(c);
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            text(sb);
            return sb.toString();
        }

        private void text(StringBuilder sb) {
            for (Object c : children) {
                if (c instanceof String s) {
                    sb.append(s);
                } else {
                    ((Node) c).text(sb);
                }
            }
        }

        List<Node> findAll(Predicate<Node> p) {
            List<Node> out = new ArrayList<>();
            collect(p, out);
            return out;
        }

        private void collect(Predicate<Node> p, List<Node> out) {
            for (Object c : children) {
                if (c instanceof Node n) {
                    if (p.test(n)) {
                        out.add(n);
                    }
                    n.collect(p, out);
                }
            }
        }

        Node byId(String id) {
            List<Node> l = findAll(n -> id.equals(n.attr("id")));
            if (l.size() != 1) {
                throw new AssertionError("expected one element #" + id + ", found " + l.size());
            }
            return l.get(0);
        }

        List<Node> select(String tag, String cls) {
            return findAll(n -> n.tag.equals(tag) && (cls == null || n.hasClass(cls)));
        }
    }

    static Node parse(String html) {
        Node root = new Node("#root", Map.of(), null);
        Node cur = root;
        int i = 0;
        int n = html.length();
        while (i < n) {
            int lt = html.indexOf('<', i);
            if (lt < 0) {
                cur.children.add(decode(html.substring(i)));
                break;
            }
            if (lt > i) {
                cur.children.add(decode(html.substring(i, lt)));
            }
            if (html.startsWith("<!--", lt)) {
                i = html.indexOf("-->", lt) + 3;
                continue;
            }
            if (html.startsWith("<!", lt)) {
                i = html.indexOf('>', lt) + 1;
                continue;
            }
            int gt = tagEnd(html, lt);
            String inner = html.substring(lt + 1, gt);
            i = gt + 1;
            if (inner.startsWith("/")) {
                String tag = inner.substring(1).trim().toLowerCase();
                Node c = cur;
                while (c != root && !c.tag.equals(tag)) {
                    c = c.parent;
                }
                if (c != root) {
                    cur = c.parent;
                }
                continue;
            }
            int sp = 0;
            while (sp < inner.length() && !Character.isWhitespace(inner.charAt(sp)) && inner.charAt(sp) != '/') {
                sp++;
            }
            String tag = inner.substring(0, sp).toLowerCase();
            Node el = new Node(tag, attributes(inner.substring(sp)), cur);
            cur.children.add(el);
            if (tag.equals("script") || tag.equals("style")) {
                int end = html.indexOf("</" + tag, i);
                el.children.add(html.substring(i, end));
                i = html.indexOf('>', end) + 1;
            } else if (!VOID.contains(tag) && !inner.endsWith("/")) {
                cur = el;
            }
        }
        return root;
    }

    private static int tagEnd(String html, int lt) {
        char quote = 0;
        for (int j = lt + 1; j < html.length(); j++) {
            char c = html.charAt(j);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return j;
            }
        }
        throw new IllegalArgumentException("unterminated tag at " + lt);
    }

    private static Map<String, String> attributes(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        var m = java.util.regex.Pattern.compile("([^\\s=/]+)(?:=\"([^\"]*)\"|='([^']*)')?").matcher(s);
        while (m.find()) {
            String v = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : "";
            out.put(m.group(1).toLowerCase(), decode(v));
        }
        return out;
    }

    static String decode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi < 0 || semi - i > 10) {
                sb.append(c);
                continue;
            }
            String e = s.substring(i + 1, semi);
            String r = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> "\u00a0";
                default -> e.startsWith("#x") ? new String(Character.toChars(Integer.parseInt(e.substring(2), 16)))
                        : e.startsWith("#") ? new String(Character.toChars(Integer.parseInt(e.substring(1)))) : null;
            };
            if (r == null) {
                sb.append(c);
            } else {
                sb.append(r);
                i = semi;
            }
        }
        return sb.toString();
    }
}
