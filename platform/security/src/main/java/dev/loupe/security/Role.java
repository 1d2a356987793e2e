package dev.loupe.security;

/**
 * A member's role in one project; each role can do what the roles before it can.
 * <ul>
 * <li>viewer: read everything of the project</li>
 * <li>annotator: relabel, exclude, restore, cut glyphs</li>
 * <li>curator: split settings, augment policy and jobs, versions, evaluations</li>
 * <li>admin: members, webhooks, test folders, model predictions, deletion</li>
 * </ul>
 */
public enum Role {
    VIEWER, ANNOTATOR, CURATOR, ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The lower of two roles; {@code cap} may be null (no cap). */
    public Role cappedBy(Role cap) {
        return cap == null || atLeast(cap) == false ? this : cap;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The role named {@code name} (any case), or null. */
    public static Role parse(String name) {
        if (name == null) {
            return null;
        }
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(name.strip())) {
                return role;
            }
        }
        return null;
    }
}
