import { EsbuildPlugin } from 'esbuild-loader';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import { resolve } from 'node:path';

// TypeScript is transpiled and the output minified by esbuild (esbuild-loader): with webpack's
// default Terser the production build took 2+ minutes on a 2-core machine. `npm run typecheck`
// type-checks.
/** @type {import('webpack').Configuration} */
export default {
  entry: './src/index.ts',
  output: { path: resolve(import.meta.dirname, 'dist'), filename: '[name].[contenthash:8].js', clean: true },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [{ test: /\.ts$/, loader: 'esbuild-loader', options: { target: 'es2022' } }],
  },
  optimization: { minimizer: [new EsbuildPlugin({ target: 'es2022' })] },
  plugins: [new HtmlWebpackPlugin({ template: 'index.html' })],
  performance: { hints: false },
};
