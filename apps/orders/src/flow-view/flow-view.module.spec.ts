import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@app/runtime';
import { FlowViewController } from './flow-view.controller.js';
import { FlowViewModule } from './flow-view.module.js';

describe(FlowViewModule.name, () => {
  it('serves the view by default', () => {
    expect(FlowViewModule.forRoot({}).controllers).toEqual([FlowViewController]);
  });

  it('serves nothing when ORDERS_FLOW_VIEW=false', () => {
    const module = FlowViewModule.forRoot({ ORDERS_FLOW_VIEW: 'false' });
    expect(module.controllers ?? []).toEqual([]);
    expect(module.providers ?? []).toEqual([]);
  });

  it('refuses a setting that is neither true nor false, in one line', () => {
    expect(() => FlowViewModule.forRoot({ ORDERS_FLOW_VIEW: 'off' })).toThrow(ConfigurationError);
    expect(() => FlowViewModule.forRoot({ ORDERS_FLOW_VIEW: 'off' })).toThrow(
      /ORDERS_FLOW_VIEW: must be "true" or "false"/,
    );
  });
});
