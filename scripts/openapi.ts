import { writeFileSync } from 'node:fs';
import { OPENAPI_DOCUMENT_FILE, renderOpenApiDocument } from './openapi-document';

// `npm run openapi`: rewrites the committed OpenAPI document from ROUTES and the handlers' schemas.
writeFileSync(OPENAPI_DOCUMENT_FILE, renderOpenApiDocument());
console.log(`wrote ${OPENAPI_DOCUMENT_FILE}`);
