"""Human approval: a pure broker of pending requests and the control socket around it."""
