/// Placeholder; the dashboard lives here.
public enum Dashboard {}
