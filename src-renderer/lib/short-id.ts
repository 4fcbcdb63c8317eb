export { shortId } from '../../src-shared/short-id';
