import { startHarness } from '../support/harness';

describe('settings of the local runtime', () => {
  it('honours the periods and thresholds of the README from the environment, as the functions do in AWS', async () => {
    // Arrange
    const h = await startHarness({
      env: { SUPERVISION_YELLOW_DAYS: '5', RATING_DEFAULT_DAYS: '10', REPORT_RED_FLAG_COUNT: '2' },
    });
    try {
      // Assert
      expect(h.deps.supervisionSettings.yellowDays).toBe(5);
      expect(h.deps.feedback.defaultRatingDays).toBe(10);
      expect(h.deps.reportSettings.redFlagCount).toBe(2);
    } finally {
      await h.stop();
    }
  });

  it('fails loudly at start on a setting that is not a number', async () => {
    await expect(startHarness({ env: { SUPERVISION_YELLOW_FRACTION: 'lots' } })).rejects.toThrow(
      /SUPERVISION_YELLOW_FRACTION/,
    );
  });
});

describe('a setting out of range', () => {
  it('stops the start with the setting named, leaving nothing running', async () => {
    await expect(startHarness({ env: { SUPERVISION_YELLOW_FRACTION: '5' } })).rejects.toThrow(/yellowFraction/);
  });
});
