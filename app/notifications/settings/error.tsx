"use client";

import ErrorPage from "../../error";

// The notification settings could not be read (the database is away, say): the generic page,
// never the server's message.
export default ErrorPage;
