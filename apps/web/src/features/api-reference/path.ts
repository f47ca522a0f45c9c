/** The admins' API reference page; apart from the page so the route table links it without loading it. */
export const API_REFERENCE_PATH = '/api-reference';
