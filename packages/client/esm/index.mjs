// ESM entry of @cnnvis/client: the package is built once, as CommonJS, and
// this wrapper re-exports its named exports, so `import { CnnVis } from
// '@cnnvis/client'` and `require('@cnnvis/client')` share one copy of the
// code (and one CnnvisClientError class).
import cjs from '../dist/index.js';

export const { CnnVis, CnnvisClientError, isCnnvisClientError, CNNVIS_DEFAULTS, formatFeatureMaps } = cjs;
export default cjs;
